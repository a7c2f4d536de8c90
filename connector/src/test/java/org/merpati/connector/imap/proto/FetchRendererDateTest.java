package org.merpati.connector.imap.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** INTERNALDATE's hand-written formatter says exactly what the DateTimeFormatter pattern says. */
class FetchRendererDateTest {

    @Test
    void sameTextAsThePattern() {
        assertEquals("01-Jan-1970 00:00:00 +0000", FetchRenderer.internalDate(Instant.EPOCH));
        assertEquals("29-Feb-2024 23:59:59 +0000", FetchRenderer.internalDate(Instant.parse("2024-02-29T23:59:59.999Z")));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_402_300_799L), random.nextInt(1_000_000_000));
            assertEquals(FetchRenderer.INTERNAL_DATE.format(t), FetchRenderer.internalDate(t), t.toString());
        }
        Instant far = Instant.parse("+12000-01-01T00:00:00Z");
        assertEquals(FetchRenderer.INTERNAL_DATE.format(far), FetchRenderer.internalDate(far));
    }
}
