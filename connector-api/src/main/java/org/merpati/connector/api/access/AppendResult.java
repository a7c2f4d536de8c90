package org.merpati.connector.api.access;

/**
 * Result of APPEND, for the APPENDUID response code (RFC 4315).
 *
 * @param modseq the MODSEQ the new message got, or 0 when unknown; a session that has the mailbox selected uses
 *               it to tell its own change from others' without asking the store again
 */
public record AppendResult(long mailboxId, long uidValidity, long uid, long modseq) implements java.io.Serializable {

    public AppendResult(long mailboxId, long uidValidity, long uid) {
        this(mailboxId, uidValidity, uid, 0);
    }
}
