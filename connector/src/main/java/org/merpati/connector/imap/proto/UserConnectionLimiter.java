package org.merpati.connector.imap.proto;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Counts authenticated connections per user of one listener (maxConnectionsPerUser). Thread-safe. */
public final class UserConnectionLimiter {

    private final int maxPerUser;
    private final ConcurrentMap<String, Integer> open = new ConcurrentHashMap<>();

    public UserConnectionLimiter(int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    /** @return false when the user already has the maximum open */
    public boolean tryAcquire(String user) {
        boolean[] ok = {false};
        open.compute(user, (u, n) -> {
            int current = n == null ? 0 : n;
            if (current >= maxPerUser) {
                return n;
            }
            ok[0] = true;
            return current + 1;
        });
        return ok[0];
    }

    public void release(String user) {
        open.computeIfPresent(user, (u, n) -> n <= 1 ? null : n - 1);
    }

    public int openFor(String user) {
        return open.getOrDefault(user, 0);
    }
}
