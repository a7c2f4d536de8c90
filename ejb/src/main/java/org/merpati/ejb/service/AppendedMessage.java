package org.merpati.ejb.service;

/**
 * Where a message was stored: the IMAP coordinates of the new row. {@code modSeq} is also the mailbox's
 * HIGHESTMODSEQ right after the append (what change notifications announce).
 */
public record AppendedMessage(long mailboxId, String account, String mailbox, long uidValidity, long uid,
                              long modSeq) {
}
