package org.merpati.ejb.mailauth.dkim;

import java.io.OutputStream;
import java.util.Locale;

/** The two DKIM canonicalization algorithms (RFC 6376 section 3.4), for header fields and for the body. */
public enum Canonicalization {
    SIMPLE, RELAXED;

    /** {@code simple} or {@code relaxed}; null for anything else. */
    public static Canonicalization named(String name) {
        return switch (name) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> null;
        };
    }

    public String tagValue() {
        return this == SIMPLE ? "simple" : "relaxed";
    }

    /** The field as it enters the header hash, with its CRLF. */
    public String header(HeaderField field) {
        return headerWithoutCrlf(field.raw()) + "\r\n";
    }

    /** A raw field canonicalized, without the CRLF (how a signature's own field is hashed). */
    public String headerWithoutCrlf(String raw) {
        if (this == SIMPLE) {
            return raw;
        }
        int colon = raw.indexOf(':');
        if (colon < 0) {
            return relaxValue(raw);
        }
        String name = HeaderField.stripTrailingWsp(raw.substring(0, colon)).toLowerCase(Locale.ROOT);
        return name + ":" + relaxValue(raw.substring(colon + 1));
    }

    /** Unfolds, turns each run of whitespace into one space and trims both ends (RFC 6376 section 3.4.2). */
    static String relaxValue(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n') {
                continue;
            }
            if (c == ' ' || c == '\t') {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace && out.length() > 0) {
                out.append(' ');
            }
            pendingSpace = false;
            out.append(c);
        }
        return out.toString();
    }

    /** A stream that canonicalizes body bytes written to it into {@code sink}; close() finishes the body. */
    public BodyCanonicalizer body(OutputStream sink) {
        return this == SIMPLE ? new SimpleBodyCanonicalizer(sink) : new RelaxedBodyCanonicalizer(sink);
    }
}
