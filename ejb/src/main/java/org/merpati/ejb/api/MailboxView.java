package org.merpati.ejb.api;

/**
 * A mailbox with its IMAP counters.
 *
 * @param specialUse RFC 6154 attribute such as {@code \Sent}, or null
 */
public record MailboxView(String name, String specialUse, long uidValidity, long uidNext, long highestModSeq,
                          long messages, long sizeBytes) {
}
