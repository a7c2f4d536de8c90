package org.merpati.ejb.submission;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Per-node token buckets for submission: one per sending account and one per remote recipient domain. A
 * bucket holds up to an hour's allowance and refills continuously (rate per hour / 3600 per second), so a
 * quiet sender may send a burst of an hour's worth and a busy one is held to the rate. A message takes one
 * token from its sender's bucket and one from each distinct remote domain's, all or none.
 *
 * <p>Kept in memory on each node (a cluster of n nodes admits up to n times the rate): a restart forgets the
 * counts, which errs on the side of delivering. Buckets that have refilled completely are dropped when the
 * map grows past {@link #MAX_BUCKETS}; a full bucket and a missing one mean the same.
 */
final class SubmissionRateLimiter {

    static final int MAX_BUCKETS = 100_000;
    private static final double NANOS_PER_HOUR = 3600e9;

    /** What {@link #acquire} took, so that a delivery that fails can give it back. */
    record Permit(String sender, List<String> domains) {
    }

    private final long perSenderPerHour;
    private final long perDomainPerHour;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new HashMap<>();

    SubmissionRateLimiter(long perSenderPerHour, long perDomainPerHour, LongSupplier nanoClock) {
        this.perSenderPerHour = perSenderPerHour;
        this.perDomainPerHour = perDomainPerHour;
        this.nanoClock = nanoClock;
    }

    /** Whether the account could submit one message now (MAIL FROM answers early; nothing is taken). */
    synchronized boolean senderHasCapacity(String sender) {
        return perSenderPerHour == 0 || bucket(senderKey(sender), perSenderPerHour).tokens >= 1;
    }

    /** Whether one more message to this remote domain is allowed now (RCPT TO; nothing is taken). */
    synchronized boolean domainHasCapacity(String domain) {
        return perDomainPerHour == 0 || bucket(domainKey(domain), perDomainPerHour).tokens >= 1;
    }

    /**
     * Takes one token for the sender and one for each distinct remote domain, or nothing when any bucket is
     * empty.
     *
     * @return the permit to {@link #release} if the message is not accepted after all, or null when refused
     */
    synchronized Permit acquire(String sender, Collection<String> remoteDomains) {
        Set<String> domains = new LinkedHashSet<>(remoteDomains);
        if (!senderHasCapacity(sender)) {
            return null;
        }
        for (String domain : domains) {
            if (!domainHasCapacity(domain)) {
                return null;
            }
        }
        if (perSenderPerHour > 0) {
            bucket(senderKey(sender), perSenderPerHour).tokens -= 1;
        }
        if (perDomainPerHour > 0) {
            for (String domain : domains) {
                bucket(domainKey(domain), perDomainPerHour).tokens -= 1;
            }
        }
        return new Permit(sender, List.copyOf(domains));
    }

    /** Gives back what a permit took (the message was not accepted). */
    synchronized void release(Permit permit) {
        if (permit == null) {
            return;
        }
        if (perSenderPerHour > 0) {
            give(senderKey(permit.sender()), perSenderPerHour);
        }
        if (perDomainPerHour > 0) {
            for (String domain : permit.domains()) {
                give(domainKey(domain), perDomainPerHour);
            }
        }
    }

    private void give(String key, long capacity) {
        Bucket b = bucket(key, capacity);
        b.tokens = Math.min(capacity, b.tokens + 1);
    }

    /** The bucket, refilled up to now. */
    private Bucket bucket(String key, long perHour) {
        long now = nanoClock.getAsLong();
        Bucket b = buckets.get(key);
        if (b == null) {
            if (buckets.size() >= MAX_BUCKETS) {
                evictFull(now);
            }
            b = new Bucket(perHour, now);
            buckets.put(key, b);
            return b;
        }
        b.refill(perHour, now);
        return b;
    }

    private void evictFull(long now) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            long capacity = e.getKey().charAt(0) == 's' ? perSenderPerHour : perDomainPerHour;
            b.refill(capacity, now);
            return b.tokens >= capacity;
        });
        if (buckets.size() >= MAX_BUCKETS) {
            buckets.clear(); // a flood of distinct keys: forgetting errs towards delivering
        }
    }

    private static String senderKey(String sender) {
        return "s:" + sender;
    }

    private static String domainKey(String domain) {
        return "d:" + domain;
    }

    /** Tokens as a fraction so that slow rates (a few per hour) refill smoothly. */
    private static final class Bucket {
        double tokens;
        long updatedAt;

        Bucket(long capacity, long now) {
            this.tokens = capacity;
            this.updatedAt = now;
        }

        void refill(long perHour, long now) {
            long elapsed = now - updatedAt;
            if (elapsed > 0) {
                tokens = Math.min(perHour, tokens + elapsed * (perHour / NANOS_PER_HOUR));
                updatedAt = now;
            }
        }
    }
}
