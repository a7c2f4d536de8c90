package org.merpati.connector.smtp.proto;

/**
 * Where an SMTP/LMTP session stands between commands. Receiving DATA or a BDAT chunk is an input mode of
 * {@link SmtpSession}, not a state here: no command can arrive then.
 */
public enum SmtpSessionState {
    /** Greeting sent, no EHLO/HELO/LHLO yet (and again right after STARTTLS, RFC 3207 section 4.2). */
    CONNECTED,
    /** Client said hello; no transaction. */
    GREETED,
    /** MAIL FROM accepted; no recipient yet. */
    MAIL,
    /** At least one recipient accepted. */
    RCPT,
    /** At least one non-LAST BDAT chunk received in this transaction (RFC 3030). */
    CHUNKING
}
