/**
 * Inbound authentication on the MX port: {@link org.merpati.ejb.mailauth.inbound.InboundAuthenticator} runs SPF,
 * DKIM/ARC (through {@link org.merpati.ejb.mailauth.MessageVerification}) and DMARC over a spooled message and
 * returns the Authentication-Results field (RFC 8601) and the DMARC action; incoming Authentication-Results that
 * claim our authserv-id are stripped while the message is copied ({@link
 * org.merpati.ejb.mailauth.inbound.ForgedResultsFilter}). Settings: {@link
 * org.merpati.ejb.mailauth.inbound.MailAuthSettings}.
 */
package org.merpati.ejb.mailauth.inbound;
