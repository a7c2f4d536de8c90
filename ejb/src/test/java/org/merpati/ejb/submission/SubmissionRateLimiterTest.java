package org.merpati.ejb.submission;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SubmissionRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(42 * SECOND);

    private SubmissionRateLimiter limiter(long perSender, long perDomain) {
        return new SubmissionRateLimiter(perSender, perDomain, clock::get);
    }

    @Test
    void aSenderMaySendAnHoursAllowanceAtOnceThenWaitsForTheRefill() {
        SubmissionRateLimiter limiter = limiter(3, 0);
        for (int i = 0; i < 3; i++) {
            assertNotNull(limiter.acquire("alice@example.com", List.of()), "message " + i);
        }
        assertNull(limiter.acquire("alice@example.com", List.of()));
        assertFalse(limiter.senderHasCapacity("alice@example.com"));
        assertTrue(limiter.senderHasCapacity("bob@example.com"), "buckets are per sender");

        clock.addAndGet(1199 * SECOND); // 3 per hour: one token every 1200 s
        assertNull(limiter.acquire("alice@example.com", List.of()));
        clock.addAndGet(SECOND);
        assertNotNull(limiter.acquire("alice@example.com", List.of()));
        assertNull(limiter.acquire("alice@example.com", List.of()));
    }

    @Test
    void aBucketNeverHoldsMoreThanAnHour() {
        SubmissionRateLimiter limiter = limiter(2, 0);
        limiter.acquire("a@x", List.of());
        clock.addAndGet(100 * 3600 * SECOND);
        assertNotNull(limiter.acquire("a@x", List.of()));
        assertNotNull(limiter.acquire("a@x", List.of()));
        assertNull(limiter.acquire("a@x", List.of()));
    }

    @Test
    void aMessageTakesOneTokenPerDistinctDomainAllOrNothing() {
        SubmissionRateLimiter limiter = limiter(0, 2);
        assertNotNull(limiter.acquire("a@x", List.of("gmail.example", "gmail.example", "yahoo.example")));
        assertNotNull(limiter.acquire("b@x", List.of("gmail.example")));
        assertFalse(limiter.domainHasCapacity("gmail.example"), "two messages, across senders");
        // refused as a whole: yahoo.example keeps its token
        assertNull(limiter.acquire("c@x", List.of("yahoo.example", "gmail.example")));
        assertNotNull(limiter.acquire("c@x", List.of("yahoo.example")));
        assertNull(limiter.acquire("c@x", List.of("yahoo.example")));
    }

    @Test
    void aReleasedPermitGivesTheTokensBack() {
        SubmissionRateLimiter limiter = limiter(1, 1);
        SubmissionRateLimiter.Permit permit = limiter.acquire("a@x", List.of("d.example"));
        assertNull(limiter.acquire("a@x", List.of()));
        limiter.release(permit);
        assertTrue(limiter.senderHasCapacity("a@x"));
        assertTrue(limiter.domainHasCapacity("d.example"));
        limiter.release(null); // a refused message has nothing to give back
    }

    @Test
    void zeroMeansUnlimited() {
        SubmissionRateLimiter limiter = limiter(0, 0);
        for (int i = 0; i < 10_000; i++) {
            assertNotNull(limiter.acquire("a@x", List.of("d.example")));
        }
    }

    @Test
    void settingsHaveDocumentedDefaultsAndRefuseNonsense() {
        SubmissionSettings defaults = SubmissionSettings.from(k -> null, "mx.example");
        assertTrue(defaults.perSenderPerHour() == 500 && defaults.perDomainPerHour() == 1000);
        assertFalse(defaults.hideClientIp());
        SubmissionSettings set = SubmissionSettings.from(Map.of("MERPATI_SUBMISSION_RATE_PER_SENDER", "0",
                "MERPATI_SUBMISSION_RATE_PER_DOMAIN", " 7 ", "MERPATI_SUBMISSION_HIDE_CLIENT_IP", "true")::get, "h");
        assertTrue(set.perSenderPerHour() == 0 && set.perDomainPerHour() == 7 && set.hideClientIp());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SubmissionSettings.from(
                Map.of("MERPATI_SUBMISSION_RATE_PER_SENDER", "-1")::get, "h"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SubmissionSettings.from(
                Map.of("MERPATI_SUBMISSION_RATE_PER_DOMAIN", "lots")::get, "h"));
    }
}
