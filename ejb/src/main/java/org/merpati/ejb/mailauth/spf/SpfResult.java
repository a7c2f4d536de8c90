package org.merpati.ejb.mailauth.spf;

import java.util.Locale;

/** The results of check_host() (RFC 7208 section 2.6), named as in Authentication-Results (RFC 8601). */
public enum SpfResult {
    NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

    /** The result keyword: {@code pass}, {@code softfail}, ... */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The result a matching mechanism with this qualifier character gives ({@code +}, {@code -}, {@code ~}, {@code ?}). */
    static SpfResult ofQualifier(char qualifier) {
        return switch (qualifier) {
            case '-' -> FAIL;
            case '~' -> SOFTFAIL;
            case '?' -> NEUTRAL;
            default -> PASS;
        };
    }
}
