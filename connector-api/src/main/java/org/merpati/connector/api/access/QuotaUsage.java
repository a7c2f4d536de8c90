package org.merpati.connector.api.access;

/**
 * A quota root's storage quota (RFC 9208 resource STORAGE, in bytes; IMAP reports KiB).
 *
 * @param usedBytes  bytes used by all the root's messages
 * @param limitBytes the limit, or 0 when unlimited
 * @param messages   number of messages in all mailboxes of the root (resource MESSAGE)
 * @param root       the quota root's name: {@code ""} for the account's own, {@link Namespaces#SHARED_ROOT} for
 *                   the public folders of the user's domain, or null for a root the user cannot ask about
 *                   (another user's, for a mailbox shared from it)
 */
public record QuotaUsage(long usedBytes, long limitBytes, long messages, String root) implements java.io.Serializable {

    /** The account's own quota root ({@code ""}). */
    public QuotaUsage(long usedBytes, long limitBytes, long messages) {
        this(usedBytes, limitBytes, messages, "");
    }
}
