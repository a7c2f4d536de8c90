package org.merpati.connector.api.access;

/**
 * The counters of one mailbox (STATUS, SELECT).
 *
 * @param id            mailbox id
 * @param name          full name
 * @param uidValidity   UIDVALIDITY, never changes for the life of the mailbox
 * @param uidNext       the UID the next message will get
 * @param highestModseq HIGHESTMODSEQ (RFC 7162)
 * @param messages      number of messages
 * @param unseen        number of messages without {@code \Seen}
 * @param deleted       number of messages with {@code \Deleted}
 * @param sizeBytes     total size of the messages (STATUS=SIZE, RFC 8438)
 */
public record MailboxStatus(long id, String name, long uidValidity, long uidNext, long highestModseq,
                            long messages, long unseen, long deleted, long sizeBytes) implements java.io.Serializable {
}
