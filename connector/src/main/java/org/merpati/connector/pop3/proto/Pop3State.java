package org.merpati.connector.pop3.proto;

/** The session states of RFC 1939 section 3. */
public enum Pop3State {
    /** Before a successful login: USER/PASS, AUTH, STLS, CAPA, QUIT. */
    AUTHORIZATION,
    /** Maildrop locked and open: the message commands. */
    TRANSACTION,
    /** After QUIT in TRANSACTION: deletions are being applied, then the connection closes. */
    UPDATE
}
