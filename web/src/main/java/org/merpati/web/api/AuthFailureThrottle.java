package org.merpati.web.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed admin logins per client address and blocks an address for a while after too many, so that
 * the password hash cost is not an invitation to brute force. Limits from MERPATI_ADMIN_MAX_AUTH_FAILURES
 * (default 10) and MERPATI_ADMIN_AUTH_BLOCK_SECONDS (default 300).
 */
@ApplicationScoped
public class AuthFailureThrottle {

    private final int maxFailures = intEnv("MERPATI_ADMIN_MAX_AUTH_FAILURES", 10);
    private final int blockSeconds = intEnv("MERPATI_ADMIN_AUTH_BLOCK_SECONDS", 300);
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, long lastMillis) {
    }

    public boolean isBlocked(String client) {
        Failures f = failures.get(client);
        if (f == null) {
            return false;
        }
        if (System.currentTimeMillis() - f.lastMillis() > blockSeconds * 1000L) {
            failures.remove(client, f);
            return false;
        }
        return f.count() >= maxFailures;
    }

    public void failed(String client) {
        long now = System.currentTimeMillis();
        failures.merge(client, new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
    }

    public void succeeded(String client) {
        failures.remove(client);
    }

    public int blockSeconds() {
        return blockSeconds;
    }

    private static int intEnv(String key, int fallback) {
        String v = System.getenv(key);
        try {
            return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
