package org.merpati.ejb.domain;

/**
 * The closed set of failures the domain reports. Each protocol edge maps it once (SMTP enhanced codes,
 * IMAP response codes, POP3 -ERR codes, HTTP problem types), after Dovecot's mail-error.h.
 */
public enum MailError {
    /** The thing asked for does not exist (unknown user, domain, mailbox). */
    NOT_FOUND,
    /** It exists already (domain, account, alias, mailbox name). */
    EXISTS,
    /** The request is malformed (bad address, bad name, bad parameter). */
    INVALID,
    /** The caller may not do this (relay denied, not an administrator, no ACL right). */
    PERMISSION,
    /** The account is over its quota. */
    NO_QUOTA,
    /** A configured limit was hit (size, count). */
    LIMIT,
    /** Not possible in the current state (delete a domain that still has accounts). */
    NOT_POSSIBLE,
    /** A temporary failure: try again later. */
    TEMPORARY
}
