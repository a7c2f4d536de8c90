package org.merpati.connector.api.access;

/**
 * The account's storage quota (RFC 9208 resource STORAGE, in bytes; IMAP reports KiB).
 *
 * @param usedBytes  bytes used by all the account's messages
 * @param limitBytes the limit, or 0 when unlimited
 * @param messages   number of messages in all mailboxes (resource MESSAGE)
 */
public record QuotaUsage(long usedBytes, long limitBytes, long messages) implements java.io.Serializable {
}
