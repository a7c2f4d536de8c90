package org.merpati.ejb.outbound.dsn;

import java.util.Locale;

/**
 * A recipient's RFC 3461 NOTIFY parameter. Absent means "FAILURE, and DELAY at the MTA's discretion" (RFC 3461
 * section 4.1); Merpati sends delay notices then too, as sendmail does, since a sender waiting hours for a reply
 * is better told.
 */
public record DsnNotify(boolean success, boolean failure, boolean delay) {

    public static final DsnNotify DEFAULT = new DsnNotify(false, true, true);
    public static final DsnNotify NEVER = new DsnNotify(false, false, false);

    /** Parses {@code SUCCESS,DELAY}, {@code NEVER}, ... (case-insensitive); null or blank → {@link #DEFAULT}. */
    public static DsnNotify parse(String notify) {
        if (notify == null || notify.isBlank()) {
            return DEFAULT;
        }
        boolean success = false;
        boolean failure = false;
        boolean delay = false;
        for (String keyword : notify.split(",")) {
            switch (keyword.trim().toUpperCase(Locale.ROOT)) {
                case "NEVER" -> {
                    return NEVER;
                }
                case "SUCCESS" -> success = true;
                case "FAILURE" -> failure = true;
                case "DELAY" -> delay = true;
                default -> {
                    // unknown keywords were refused at RCPT; ignore one that slipped through
                }
            }
        }
        return new DsnNotify(success, failure, delay);
    }
}
