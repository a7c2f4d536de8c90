package org.merpati.connector.api;

/**
 * Message listener of the SMTP (MX) activation. One delivery transaction for all recipients: the replies
 * returned by {@link #deliver} are all positive or the transaction stored nothing.
 */
public interface SmtpListener extends MailDeliveryListener {
}
