package org.merpati.connector.pop3.proto;

import java.util.Locale;

/** The POP3 command keywords this server knows (RFC 1939, 2449, 2595, 5034). */
public enum Pop3Verb {
    USER, PASS, APOP, AUTH, STLS, CAPA, QUIT,
    STAT, LIST, RETR, DELE, NOOP, RSET, TOP, UIDL;

    /** The verb for a keyword in any case, or null when unknown. */
    public static Pop3Verb of(String keyword) {
        if (keyword.isEmpty() || keyword.length() > 4) {
            return null;
        }
        try {
            return valueOf(keyword.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
