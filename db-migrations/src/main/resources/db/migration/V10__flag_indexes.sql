-- Indexes that let the IMAP hot paths answer from the index instead of visiting one heap page per message
-- (a mailbox's rows are spread over as many pages as it has messages when mail for many users interleaves).
-- SEARCH UNSEEN (and other exact flag searches) needs only UIDs: (mailbox_id, flag_seen, uid) covers it.
DROP INDEX ix_messages_mailbox_seen;
CREATE INDEX ix_messages_mailbox_seen_uid ON messages (mailbox_id, flag_seen, uid);
-- EXPUNGE finds the \Deleted messages of a mailbox (and their blobs) without reading every row.
CREATE INDEX ix_messages_mailbox_deleted ON messages (mailbox_id, flag_deleted);
