package org.merpati.connector.api.access;

/** Message listener of the POP3 activation (RFC 1939): works on the user's INBOX. */
public interface Pop3Listener extends MailAccessListener {
}
