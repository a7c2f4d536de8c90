/**
 * Runs the sans-IO SMTP/LMTP session on a Netty channel: bytes from the socket go into
 * {@link org.merpati.connector.smtp.proto.SmtpSession}, replies come back through the channel, STARTTLS
 * inserts the TLS handler, and listener results return on the channel's event loop.
 */
package org.merpati.connector.smtp.netty;
