package org.merpati.ejb.outbound;

import java.time.Duration;
import java.util.Locale;

/** Durations in configuration: a whole number with a unit, {@code 30s}, {@code 5m}, {@code 4h}, {@code 5d}. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String key, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.length() < 2) {
            throw invalid(key, text);
        }
        long amount;
        try {
            amount = Long.parseLong(t.substring(0, t.length() - 1));
        } catch (NumberFormatException e) {
            throw invalid(key, text);
        }
        if (amount < 0) {
            throw invalid(key, text);
        }
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw invalid(key, text);
        };
    }

    /** The configuration form again (largest unit that divides evenly), for logs and messages. */
    static String format(Duration d) {
        long s = d.getSeconds();
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private static IllegalArgumentException invalid(String key, String text) {
        return new IllegalArgumentException(key + " must be a duration like 30s, 5m, 4h or 5d, not '" + text + "'");
    }
}
