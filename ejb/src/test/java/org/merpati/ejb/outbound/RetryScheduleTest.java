package org.merpati.ejb.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.merpati.ejb.platform.MerpatiConfig;

class RetryScheduleTest {

    private final RetrySchedule defaults = RetrySchedule.parse("K", OutboundSettings.DEFAULT_RETRY_SCHEDULE);

    @ParameterizedTest(name = "after attempt {0} wait {1}")
    @CsvSource({"0, 5m", "1, 5m", "2, 10m", "3, 30m", "4, 1h", "5, 2h", "6, 4h", "7, 8h", "8, 16h", "9, 16h",
            "40, 16h"})
    void defaultScheduleThenTheLastDelayForever(int attempts, String wait) {
        assertEquals(Durations.parse("K", wait), defaults.delayAfter(attempts));
    }

    @Test
    void defaultScheduleSpansFiveDaysInFourteenWaits() {
        Duration total = Duration.ZERO;
        int attempts = 0;
        while (total.compareTo(Duration.ofDays(5)) < 0) {
            total = total.plus(defaults.delayAfter(++attempts));
        }
        assertEquals(14, attempts);
    }

    @ParameterizedTest
    @CsvSource({"30s, PT30S", "5m, PT5M", "4h, PT4H", "5d, PT120H", "0s, PT0S", " 7M , PT7M"})
    void durations(String text, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse("K", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "m", "5x", "-5m", "five minutes", "1.5h"})
    void badDurationsNameTheKey(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("MY_KEY", text));
        assertEquals(true, e.getMessage().contains("MY_KEY"));
    }

    @ParameterizedTest
    @ValueSource(strings = {",", "0s", "5m,0s", "5m,,x"})
    void badSchedules(String text) {
        assertThrows(IllegalArgumentException.class, () -> RetrySchedule.parse("K", text));
    }

    @Test
    void scheduleFormatsBack() {
        assertEquals(OutboundSettings.DEFAULT_RETRY_SCHEDULE, defaults.toString());
        assertEquals("90s,1d", RetrySchedule.parse("K", "90s, 24h").toString());
    }

    @Test
    void settingsDefaultsAndOverrides() {
        OutboundSettings d = OutboundSettings.from(MerpatiConfig.of(Map.of()));
        assertEquals(defaults, d.retrySchedule());
        assertEquals(Duration.ofDays(5), d.maxAge());
        assertEquals(Duration.ofHours(4), d.delayWarning());
        assertEquals(Duration.ofMinutes(30), d.lease());
        assertEquals(Duration.ofMinutes(5), d.sweepGrace());
        assertEquals(1L << 20, d.dsnReturnLimit());
        OutboundSettings o = OutboundSettings.from(MerpatiConfig.of(Map.of("MERPATI_OUTBOUND_RETRY_SCHEDULE", "1m",
                "MERPATI_OUTBOUND_MAX_AGE", "1h", "MERPATI_OUTBOUND_DELAY_WARNING", "0s",
                "MERPATI_OUTBOUND_DSN_RETURN_LIMIT", "0")));
        assertEquals(Duration.ofMinutes(1), o.retrySchedule().delayAfter(5));
        assertEquals(Duration.ofHours(1), o.maxAge());
        assertEquals(false, o.delayWarningsOn());
        assertEquals(0, o.dsnReturnLimit());
        assertThrows(IllegalArgumentException.class, () -> OutboundSettings.from(MerpatiConfig.of(
                Map.of("MERPATI_OUTBOUND_DSN_RETURN_LIMIT", "-1"))));
    }
}
