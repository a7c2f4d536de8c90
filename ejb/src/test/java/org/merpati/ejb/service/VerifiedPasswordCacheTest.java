package org.merpati.ejb.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedPasswordCacheTest {

    final AtomicLong now = new AtomicLong(1_000);
    final VerifiedPasswordCache cache = new VerifiedPasswordCache(60, now::get);

    @Test
    void remembersOnlyTheVerifiedPasswordForThatStoredHash() {
        assertFalse(cache.matches("$hash-1", "secret"));
        cache.remember("$hash-1", "secret");
        assertTrue(cache.matches("$hash-1", "secret"));
        assertFalse(cache.matches("$hash-1", "Secret"), "another password");
        assertFalse(cache.matches("$hash-2", "secret"), "a changed password has a new stored hash");
    }

    @Test
    void forgetsAfterTheTimeToLive() {
        cache.remember("$hash", "secret");
        now.addAndGet(59_000_000_000L);
        assertTrue(cache.matches("$hash", "secret"));
        now.addAndGet(2_000_000_000L);
        assertFalse(cache.matches("$hash", "secret"));
    }

    @Test
    void zeroTimeToLiveTurnsItOff() {
        VerifiedPasswordCache off = new VerifiedPasswordCache(0, now::get);
        off.remember("$hash", "secret");
        assertFalse(off.matches("$hash", "secret"));
    }
}
