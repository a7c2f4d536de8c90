package org.merpati.connector.api;

/**
 * One RCPT TO with its RFC 3461 DSN parameters.
 *
 * @param address the forward path without angle brackets, as the client sent it (local part case kept)
 * @param dsnNotify the NOTIFY parameter (e.g. {@code SUCCESS,DELAY}), or null when absent
 * @param orcpt   the ORCPT parameter as sent (addr-type;xtext), or null
 */
public record Recipient(String address, String dsnNotify, String orcpt) implements java.io.Serializable {
}
