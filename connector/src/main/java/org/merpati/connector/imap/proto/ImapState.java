package org.merpati.connector.imap.proto;

/** The connection states of RFC 9051 section 3. */
public enum ImapState {
    NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT
}
