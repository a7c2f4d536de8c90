package org.merpati.ejb.outbound;

import java.time.Duration;
import org.merpati.ejb.platform.MerpatiConfig;

/**
 * The outbound queue's configuration keys and their defaults.
 *
 * <ul>
 * <li>{@code MERPATI_OUTBOUND_RETRY_SCHEDULE} ({@code 5m,10m,30m,1h,2h,4h,8h,16h}): waits after the 1st, 2nd, ...
 *     temporary failure; the last one repeats.</li>
 * <li>{@code MERPATI_OUTBOUND_MAX_AGE} ({@code 5d}): how long a message is retried before it expires with a
 *     failure DSN.</li>
 * <li>{@code MERPATI_OUTBOUND_DELAY_WARNING} ({@code 4h}, {@code 0s} = never): age after which a still-retrying
 *     recipient gets one delay DSN (when its NOTIFY asks for DELAY or has no NOTIFY).</li>
 * <li>{@code MERPATI_OUTBOUND_LEASE} ({@code 30m}): how long one attempt may take; a recipient still SENDING
 *     after that is taken to belong to a crashed attempt and is tried again. Must exceed the SMTP client's
 *     worst case (RFC 5321 timeouts add up to about 20 minutes for one host).</li>
 * <li>{@code MERPATI_OUTBOUND_SWEEP_GRACE} ({@code 5m}): how far past its time a pending recipient must be before
 *     the sweeper sends it a new trigger (its own trigger may just be waiting in a busy queue).</li>
 * <li>{@code MERPATI_OUTBOUND_DSN_RETURN_LIMIT} ({@code 1048576} bytes): with RET=FULL, larger messages are
 *     returned as headers only.</li>
 * </ul>
 * {@code MERPATI_OUTBOUND_CONCURRENCY} (8, parallel attempts per node) is read by WildFly as the delivery MDB's
 * {@code maxSession}.
 */
public record OutboundSettings(RetrySchedule retrySchedule, Duration maxAge, Duration delayWarning, Duration lease,
                               Duration sweepGrace, long dsnReturnLimit) {

    public static final String DEFAULT_RETRY_SCHEDULE = "5m,10m,30m,1h,2h,4h,8h,16h";

    public static OutboundSettings from(MerpatiConfig config) {
        return new OutboundSettings(
                RetrySchedule.parse("MERPATI_OUTBOUND_RETRY_SCHEDULE",
                        or(config, "MERPATI_OUTBOUND_RETRY_SCHEDULE", DEFAULT_RETRY_SCHEDULE)),
                duration(config, "MERPATI_OUTBOUND_MAX_AGE", "5d"),
                duration(config, "MERPATI_OUTBOUND_DELAY_WARNING", "4h"),
                duration(config, "MERPATI_OUTBOUND_LEASE", "30m"),
                duration(config, "MERPATI_OUTBOUND_SWEEP_GRACE", "5m"),
                bytes(config, "MERPATI_OUTBOUND_DSN_RETURN_LIMIT", 1L << 20));
    }

    private static volatile OutboundSettings current;

    /** The settings of this process, read once. */
    public static OutboundSettings current() {
        OutboundSettings s = current;
        if (s == null) {
            s = from(MerpatiConfig.current());
            current = s;
        }
        return s;
    }

    /** Whether delay DSNs are sent at all. */
    public boolean delayWarningsOn() {
        return !delayWarning.isZero();
    }

    private static String or(MerpatiConfig config, String key, String fallback) {
        String value = config.value(key);
        return value == null ? fallback : value;
    }

    private static Duration duration(MerpatiConfig config, String key, String fallback) {
        return Durations.parse(key, or(config, key, fallback));
    }

    private static long bytes(MerpatiConfig config, String key, long fallback) {
        String value = config.value(key);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number of bytes: " + value, e);
        }
    }
}
