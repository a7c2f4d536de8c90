package org.merpati.ejb.storage.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;

/**
 * One line of the expunge log: UID {@code uid} left mailbox {@code mailboxId} at MODSEQ {@code modSeq}. Read
 * by VANISHED and {@code changesSince}; rows go when their mailbox is deleted (foreign key cascade).
 * The mailbox is a plain id, not an association: the log is only ever queried by mailbox id.
 */
@Entity
@Table(name = "expunged_messages")
@IdClass(ExpungedMessageEntity.Key.class)
public class ExpungedMessageEntity {

    @Id
    @Column(name = "mailbox_id", nullable = false)
    private long mailboxId;

    @Id
    @Column(name = "uid", nullable = false)
    private long uid;

    @Column(name = "modseq", nullable = false)
    private long modSeq;

    protected ExpungedMessageEntity() {
    }

    public ExpungedMessageEntity(long mailboxId, long uid, long modSeq) {
        this.mailboxId = mailboxId;
        this.uid = uid;
        this.modSeq = modSeq;
    }

    public long getMailboxId() {
        return mailboxId;
    }

    public long getUid() {
        return uid;
    }

    public long getModSeq() {
        return modSeq;
    }

    /** The composite primary key (mailbox_id, uid). */
    public static class Key implements Serializable {

        private static final long serialVersionUID = 1L;

        private long mailboxId;
        private long uid;

        public Key() {
        }

        public Key(long mailboxId, long uid) {
            this.mailboxId = mailboxId;
            this.uid = uid;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.mailboxId == mailboxId && k.uid == uid;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(mailboxId) * 31 + Long.hashCode(uid);
        }
    }
}
