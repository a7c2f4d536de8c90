-- Merpati schema, version 2: what IMAP and POP3 access needs beyond delivery.
--
-- Portability: as V1, this file runs unchanged on PostgreSQL 15+ and H2 2.3.

-- The expunge log: which UIDs left a mailbox at which MODSEQ, so that a session can be told what vanished
-- since a MODSEQ it knows (RFC 7162 VANISHED, NOOP/IDLE after another session expunged). UIDs are never
-- reused within a mailbox, so (mailbox_id, uid) identifies one expunge. Deleting the mailbox drops its log.
CREATE TABLE expunged_messages (
    mailbox_id  BIGINT NOT NULL,
    uid         BIGINT NOT NULL,
    modseq      BIGINT NOT NULL,
    CONSTRAINT pk_expunged_messages PRIMARY KEY (mailbox_id, uid),
    CONSTRAINT fk_expunged_messages_mailbox FOREIGN KEY (mailbox_id) REFERENCES mailboxes (id) ON DELETE CASCADE
);

CREATE INDEX ix_expunged_messages_mailbox_modseq ON expunged_messages (mailbox_id, modseq);

-- STATUS UNSEEN and SELECT's first unseen UID count or look up messages without \Seen per mailbox.
CREATE INDEX ix_messages_mailbox_seen ON messages (mailbox_id, flag_seen);
