-- Merpati schema, version 3: folder sharing (IMAP ACL, RFC 4314; the "Other Users" namespace, RFC 2342).
--
-- Portability: as V1, this file runs unchanged on PostgreSQL 15+ and H2 2.3.

-- Access control entries of a mailbox. The owner always has every right and is never stored. identifier is
-- a canonical (lower-case) account or group address of the owner's domain, or "anyone" (every account of
-- that domain), prefixed with "-" for negative rights. rights holds the letters of the standard rights
-- "lrswipkxtea" (the virtual RFC 2086 "c" and "d" are expanded before storing). The ACL goes with the
-- mailbox: kept on RENAME, dropped on DELETE.
CREATE TABLE mailbox_acl (
    mailbox_id  BIGINT NOT NULL,
    identifier  VARCHAR(321) NOT NULL,
    rights      VARCHAR(32) NOT NULL,
    CONSTRAINT pk_mailbox_acl PRIMARY KEY (mailbox_id, identifier),
    CONSTRAINT fk_mailbox_acl_mailbox FOREIGN KEY (mailbox_id) REFERENCES mailboxes (id) ON DELETE CASCADE
);

-- Which mailboxes were shared with a user (LIST) is looked up by identifier.
CREATE INDEX ix_mailbox_acl_identifier ON mailbox_acl (identifier);

-- Subscriptions of users other than the owner to a shared mailbox (the owner's own subscription stays in
-- mailboxes.subscribed). Dropped with the mailbox or the subscribing account.
CREATE TABLE mailbox_subscribers (
    mailbox_id  BIGINT NOT NULL,
    account_id  BIGINT NOT NULL,
    CONSTRAINT pk_mailbox_subscribers PRIMARY KEY (mailbox_id, account_id),
    CONSTRAINT fk_mailbox_subscribers_mailbox FOREIGN KEY (mailbox_id) REFERENCES mailboxes (id) ON DELETE CASCADE,
    CONSTRAINT fk_mailbox_subscribers_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
);

CREATE INDEX ix_mailbox_subscribers_account ON mailbox_subscribers (account_id);
