package org.merpati.ejb.storage.gc;

import java.time.Duration;
import java.util.Locale;
import org.merpati.ejb.platform.MerpatiConfig;

/**
 * The blob collector's configuration keys and their defaults.
 *
 * <ul>
 * <li>{@code MERPATI_BLOB_GC} ({@code true}): {@code false} turns the collector off (files of unreferenced blobs
 *     then stay on disk).</li>
 * <li>{@code MERPATI_BLOB_GC_INTERVAL} ({@code 10m}): time between runs on each node; the first run is one
 *     interval (at most 5 minutes) after deploy.</li>
 * <li>{@code MERPATI_BLOB_GC_GRACE} ({@code 1h}): how long a blob must have had no reference before it is
 *     removed. It covers readers that looked up a message just before it was expunged (a FETCH being set up, a
 *     COPY between reading its source rows and locking the blobs, the search index reading a new message).</li>
 * <li>{@code MERPATI_BLOB_GC_BATCH} ({@code 500}): blobs examined per run at most; the next run takes the rest.</li>
 * </ul>
 * Durations are a whole number with a unit: {@code 30s}, {@code 10m}, {@code 1h}, {@code 1d}.
 */
public record BlobCollectionSettings(boolean enabled, Duration interval, Duration grace, int batch) {

    /** Temp files (writers' copies, partial writes) older than this are removed by each run. */
    public static final Duration TEMP_FILE_AGE = Duration.ofDays(1);

    public static BlobCollectionSettings from(MerpatiConfig config) {
        String enabled = config.value("MERPATI_BLOB_GC");
        BlobCollectionSettings settings = new BlobCollectionSettings(
                enabled == null || !enabled.trim().equalsIgnoreCase("false"),
                duration(config, "MERPATI_BLOB_GC_INTERVAL", "10m"),
                duration(config, "MERPATI_BLOB_GC_GRACE", "1h"),
                count(config, "MERPATI_BLOB_GC_BATCH", 500));
        if (settings.interval.isZero()) {
            throw new IllegalArgumentException("MERPATI_BLOB_GC_INTERVAL must be above 0 (use MERPATI_BLOB_GC=false)");
        }
        return settings;
    }

    static Duration duration(MerpatiConfig config, String key, String fallback) {
        String value = config.value(key);
        String text = (value == null ? fallback : value).trim().toLowerCase(Locale.ROOT);
        try {
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            if (amount >= 0) {
                switch (text.charAt(text.length() - 1)) {
                    case 's': return Duration.ofSeconds(amount);
                    case 'm': return Duration.ofMinutes(amount);
                    case 'h': return Duration.ofHours(amount);
                    case 'd': return Duration.ofDays(amount);
                    default: break;
                }
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": not a duration (30s, 10m, 1h, 1d): " + value);
    }

    private static int count(MerpatiConfig config, String key, int fallback) {
        String value = config.value(key);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": not a positive number: " + value);
    }
}
