-- Merpati schema, version 8: public folders (the IMAP "Shared" namespace, RFC 2342), one set per domain.
--
-- Portability: as V1, this file runs unchanged on PostgreSQL 15+ and H2 2.3.

-- A domain's public folders are the mailboxes of one pseudo-account of kind SHARED. Its address is "@" followed
-- by the domain name: not a mail address (it cannot be parsed as one), so it can never be a login, a recipient,
-- an ACL identifier or an "Other Users" owner, and it never collides with a real account; the unique address
-- also keeps it to one per domain. Directory queries (login, delivery, listings, counts) only see USER accounts.
ALTER TABLE accounts ADD COLUMN kind VARCHAR(16) DEFAULT 'USER' NOT NULL;
ALTER TABLE accounts ADD CONSTRAINT ck_accounts_kind CHECK (kind IN ('USER', 'SHARED'));

-- "Shared" and "Shared/..." now name the public folders, so personal mailboxes of those names would be
-- hidden: they become "Shared (personal)" and "Shared (personal)/..." (kept under their old name only when the
-- new one is taken; an administrator can still see them with "merpati admin mailbox list").
UPDATE mailboxes SET name = 'Shared (personal)' || SUBSTRING(name FROM 7)
WHERE (name = 'Shared' OR name LIKE 'Shared/%')
  AND NOT EXISTS (SELECT 1 FROM mailboxes taken WHERE taken.account_id = mailboxes.account_id
                  AND taken.name = 'Shared (personal)' || SUBSTRING(mailboxes.name FROM 7));
