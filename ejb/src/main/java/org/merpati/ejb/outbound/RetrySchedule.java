package org.merpati.ejb.outbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How long to wait after a temporary failure: the n-th failed attempt waits the n-th delay of the list, and
 * every attempt after the list's end waits its last delay. Configured as {@code 5m,10m,30m,1h}.
 */
public record RetrySchedule(List<Duration> delays) {

    public RetrySchedule {
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one delay");
        }
        for (Duration d : delays) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("retry delays must be positive: " + delays);
            }
        }
        delays = List.copyOf(delays);
    }

    public static RetrySchedule parse(String key, String text) {
        List<Duration> delays = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                delays.add(Durations.parse(key, part));
            }
        }
        if (delays.isEmpty()) {
            throw new IllegalArgumentException(key + " must list at least one delay, e.g. 5m,10m,30m");
        }
        return new RetrySchedule(delays);
    }

    /** The wait after the {@code attempts}-th attempt failed temporarily (attempts counted from 1). */
    public Duration delayAfter(int attempts) {
        int index = Math.max(1, attempts) - 1;
        return delays.get(Math.min(index, delays.size() - 1));
    }

    @Override
    public String toString() {
        return String.join(",", delays.stream().map(Durations::format).toList());
    }
}
