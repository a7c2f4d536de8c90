package org.merpati.connector.api;

/**
 * Message listener of the LMTP activation (RFC 2033): delivery succeeds or fails per recipient.
 */
public interface LmtpListener extends MailDeliveryListener {
}
