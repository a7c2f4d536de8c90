/**
 * What the mail protocols share about logging in, independent of any one protocol's framing: decoding SASL
 * PLAIN (RFC 4616) and LOGIN responses, and the back-off that slows down a client guessing passwords. SMTP
 * AUTH and POP3 AUTH use it; each protocol maps {@link org.merpati.connector.sasl.SaslException} to its own
 * error reply.
 */
package org.merpati.connector.sasl;
