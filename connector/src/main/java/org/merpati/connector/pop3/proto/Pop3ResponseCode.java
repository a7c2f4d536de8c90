package org.merpati.connector.pop3.proto;

/** The RFC 2449 / RFC 3206 response codes this server sends inside -ERR replies. */
public enum Pop3ResponseCode {
    /** The maildrop is locked by another session (RFC 2449 section 8.1.1). */
    IN_USE("IN-USE"),
    /** A temporary server problem; trying again later may work (RFC 3206). */
    SYS_TEMP("SYS/TEMP"),
    /** A permanent server problem; trying again will not help (RFC 3206). */
    SYS_PERM("SYS/PERM"),
    /** The failure concerns the user's credentials or how they were sent (RFC 3206). */
    AUTH("AUTH");

    private final String text;

    Pop3ResponseCode(String text) {
        this.text = text;
    }

    /** The code as written on the wire, without brackets. */
    public String text() {
        return text;
    }
}
