package org.merpati.connector.api.access;

/**
 * A mailbox operation refused for a reason the client can act on. IMAP maps {@link Kind} to a response code
 * (RFC 5530), POP3 to -ERR with a RESP-CODE. Checked on purpose: EJBs treat checked exceptions as application
 * exceptions, which reach the caller as is and do not mark the transaction for rollback by themselves.
 */
public class MailAccessException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the operation failed. */
    public enum Kind {
        /** The mailbox (or message) does not exist. IMAP [NONEXISTENT]. */
        NONEXISTENT,
        /** The mailbox already exists. IMAP [ALREADYEXISTS]. */
        ALREADY_EXISTS,
        /** The user lacks the right. IMAP [NOPERM]. */
        NO_PERMISSION,
        /** The operation would exceed the quota. IMAP [OVERQUOTA]. */
        OVER_QUOTA,
        /** A server limit (size, count, name length). IMAP [LIMIT]. */
        LIMIT,
        /** The operation cannot be done on this object (e.g. delete INBOX). IMAP [CANNOT]. */
        CANNOT,
        /** The request is malformed in a way only the server can tell (e.g. bad mailbox name). IMAP BAD or NO. */
        INVALID,
        /** A temporary failure: try again later. IMAP [UNAVAILABLE], POP3 [SYS/TEMP]. */
        UNAVAILABLE
    }

    private final Kind kind;

    public MailAccessException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
