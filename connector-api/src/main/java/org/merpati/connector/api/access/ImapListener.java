package org.merpati.connector.api.access;

/** Message listener of the IMAP activation (RFC 9051 / RFC 3501). */
public interface ImapListener extends MailAccessListener {
}
