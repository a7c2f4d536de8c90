package org.merpati.connector.api.access;

/**
 * One mailbox the user can see, as LIST reports it. Names are Unicode, hierarchy delimiter {@code /}
 * ({@link MailAccessListener#HIERARCHY_DELIMITER}); the connector converts to modified UTF-7 for clients that
 * did not enable UTF8=ACCEPT or IMAP4rev2.
 *
 * @param id         stable id of the mailbox (also its OBJECTID MAILBOXID)
 * @param name       full name, e.g. {@code INBOX}, {@code Archive/2026}
 * @param specialUse RFC 6154 attribute such as {@code \Sent}, or null
 * @param subscribed whether the user subscribed to it
 */
public record MailboxInfo(long id, String name, String specialUse, boolean subscribed)
    implements java.io.Serializable {
}
