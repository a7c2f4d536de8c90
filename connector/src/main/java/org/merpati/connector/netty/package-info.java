/**
 * Network plumbing shared by every protocol listener (SMTP and LMTP now, IMAP and POP3 later): event loop
 * groups that may run on container threads, binding and unbinding, TLS contexts (PEM files or a PKCS12
 * keystore generated on first start), connection limits and idle timeouts. Protocol logic lives elsewhere;
 * a protocol plugs its handlers in through {@link org.merpati.connector.netty.ProtocolHandlers}.
 */
package org.merpati.connector.netty;
