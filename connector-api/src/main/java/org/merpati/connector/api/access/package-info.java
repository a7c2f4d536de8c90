/**
 * The mailbox access contract shared by IMAP and POP3 (and later ManageSieve and JMAP): the listener
 * interface the access MDBs implement, its value types, and the in-JVM change bus that wakes live sessions.
 *
 * <p>Every call carries the {@link org.merpati.connector.api.SessionInfo} of the connection; its
 * {@code authenticatedUser} (set by the connector only after {@link MailAccessListener#authenticate}
 * succeeded) is the only identity the server acts for. Mailbox ids handed out by {@code select} are checked
 * against that identity on every call, so a forged id reaches nothing.
 */
package org.merpati.connector.api.access;
