/**
 * The mailbox access contract shared by IMAP and POP3 (and later ManageSieve and JMAP): the listener
 * interface the access MDBs implement, its value types, and the in-JVM change bus that wakes live sessions.
 *
 * <p>Every call carries the {@link org.merpati.connector.api.SessionInfo} of the connection; its
 * {@code authenticatedUser} (set by the connector only after {@link MailAccessListener#authenticate}
 * succeeded) is the only identity the server acts for. Mailbox ids handed out by {@code select} are checked
 * against that identity and its rights on every call, so a forged id reaches nothing.
 *
 * <p>Sharing: other users' mailboxes appear under {@link org.merpati.connector.api.access.Namespaces#OTHER_USERS}
 * and the public folders of the user's domain under {@link org.merpati.connector.api.access.Namespaces#SHARED},
 * with the rights their access control lists give ({@link org.merpati.connector.api.access.MailboxRights},
 * RFC 4314). A mailbox the user may neither look up nor read is indistinguishable from one that does not exist.
 */
package org.merpati.connector.api.access;
