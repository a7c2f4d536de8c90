package org.merpati.ejb.mailauth;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.merpati.ejb.mailauth.dkim.SigningKey;

/**
 * Decrypted signing keys per domain for a limited time, so that signing a message costs no query and no
 * decryption. Changes made on this node clear the domain at once; other nodes see them after the TTL.
 */
public final class SigningKeyCache {

    private record Entry(List<SigningKey> keys, Instant expires) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public SigningKeyCache(Clock clock) {
        this.clock = clock;
    }

    public List<SigningKey> get(String domain, long ttlSeconds, Function<String, List<SigningKey>> load) {
        String key = domain.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Entry entry = entries.get(key);
        if (entry == null || !now.isBefore(entry.expires())) {
            entry = new Entry(List.copyOf(load.apply(key)), now.plusSeconds(ttlSeconds));
            if (ttlSeconds > 0) {
                entries.put(key, entry);
            }
        }
        return entry.keys();
    }

    public void invalidate(String domain) {
        entries.remove(domain.toLowerCase(Locale.ROOT));
    }
}
