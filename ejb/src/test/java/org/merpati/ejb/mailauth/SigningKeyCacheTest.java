package org.merpati.ejb.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.merpati.ejb.mailauth.dkim.DkimTestKeys;
import org.merpati.ejb.mailauth.dkim.SigningKey;

/** Keys are loaded once per domain and TTL, again after invalidation; a TTL of 0 never caches. */
class SigningKeyCacheTest {

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void loadsOncePerTtlAndAgainAfterInvalidation() {
        MovableClock clock = new MovableClock();
        SigningKeyCache cache = new SigningKeyCache(clock);
        AtomicInteger loads = new AtomicInteger();
        List<SigningKey> keys = List.of(DkimTestKeys.ed25519("example.com", "s"));
        java.util.function.Function<String, List<SigningKey>> loader = d -> {
            loads.incrementAndGet();
            return keys;
        };
        assertEquals(keys, cache.get("Example.COM", 60, loader));
        assertEquals(keys, cache.get("example.com", 60, loader));
        assertEquals(1, loads.get());
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        cache.get("example.com", 60, loader);
        assertEquals(2, loads.get());
        cache.invalidate("EXAMPLE.com");
        cache.get("example.com", 60, loader);
        assertEquals(3, loads.get());
        cache.get("other.example", 0, loader);
        cache.get("other.example", 0, loader);
        assertEquals(5, loads.get());
    }
}
