package org.merpati.ejb.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers, for a while, that a password matched a stored hash, so that a client reconnecting (phones do
 * so all the time; an IMAP client opens several connections) does not pay the deliberately slow key derivation
 * on every login — Dovecot's {@code auth_cache} for the same reason. Only successful verifications are
 * cached, and never the password: the entry is an HMAC of it under a random key that lives only in this
 * process, filed under the stored hash string, so a password change (a new stored hash) misses at once and a
 * wrong password never matches.
 */
final class VerifiedPasswordCache {

    /** Bound on entries; past it the cache starts afresh (cheap, and only costs one slow login each). */
    static final int MAX_ENTRIES = 100_000;

    private record Entry(byte[] mac, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final LongSupplier clock;
    private final SecretKeySpec key;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    VerifiedPasswordCache(long ttlSeconds, LongSupplier nanoClock) {
        this.ttlNanos = ttlSeconds * 1_000_000_000L;
        this.clock = nanoClock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    boolean enabled() {
        return ttlNanos > 0;
    }

    /** Whether this password was verified against this stored hash within the time to live. */
    boolean matches(String storedHash, String password) {
        if (!enabled()) {
            return false;
        }
        Entry e = entries.get(storedHash);
        if (e == null) {
            return false;
        }
        if (clock.getAsLong() - e.expiresAtNanos() > 0) {
            entries.remove(storedHash, e);
            return false;
        }
        return MessageDigest.isEqual(e.mac(), mac(password));
    }

    void remember(String storedHash, String password) {
        if (!enabled()) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(storedHash, new Entry(mac(password), clock.getAsLong() + ttlNanos));
    }

    private byte[] mac(String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }
}
