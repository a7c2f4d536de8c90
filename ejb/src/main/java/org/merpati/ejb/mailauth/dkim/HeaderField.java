package org.merpati.ejb.mailauth.dkim;

import java.util.Locale;

/**
 * One header field exactly as it appears in the message, folding included, without its final CRLF. Text is
 * held as ISO-8859-1 so that every byte maps to one char and back: canonicalization never changes 8-bit bytes.
 *
 * @param name the field name as written (case preserved, trailing whitespace before the colon removed); "" for a
 *             line that is not a field
 * @param raw  the whole field, name and colon included; folded lines are joined by CRLF
 */
public record HeaderField(String name, String raw) {

    /** Parses a raw field (name, colon, value). */
    public static HeaderField of(String raw) {
        int colon = raw.indexOf(':');
        String name = colon < 0 ? "" : stripTrailingWsp(raw.substring(0, colon));
        return new HeaderField(name, raw);
    }

    /** Everything after the colon, unchanged. */
    public String value() {
        int colon = raw.indexOf(':');
        return colon < 0 ? "" : raw.substring(colon + 1);
    }

    public boolean hasName(String other) {
        return name.equalsIgnoreCase(other);
    }

    public String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }

    static String stripTrailingWsp(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(0, end);
    }
}
