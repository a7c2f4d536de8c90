package org.merpati.ejb.storage.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

/** Queries over mailboxes, message rows and blob bookkeeping. */
public class MailboxRepository {

    private final EntityManager em;

    public MailboxRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<MailboxEntity> findMailbox(AccountEntity account, String name) {
        return em.createQuery("select distinct m from MailboxEntity m join fetch m.account left join fetch m.acl"
                        + " where m.account = :account and m.name = :name", MailboxEntity.class)
                .setParameter("account", account).setParameter("name", name).getResultStream().findFirst();
    }

    public List<MailboxEntity> listMailboxes(AccountEntity account) {
        return em.createQuery("select m from MailboxEntity m where m.account = :account order by m.name",
                MailboxEntity.class).setParameter("account", account).getResultList();
    }

    public List<MessageEntity> listMessages(MailboxEntity mailbox) {
        return em.createQuery("select m from MessageEntity m where m.mailbox = :mailbox order by m.uid",
                MessageEntity.class).setParameter("mailbox", mailbox).getResultList();
    }

    // ---- delivery: one statement per row lock, so that the locks are held for few round trips ----

    /** The new message's place in its mailbox, as {@link #admitMessage} assigned it. */
    public record Admission(long mailboxId, long uid, long modSeq, long uidValidity) {
    }

    /**
     * Adds {@code count} references to the blob's row, inserting it when missing, and returns the entity
     * without reading it (a reference). The row stays locked until the transaction ends. PostgreSQL does it in
     * one statement; elsewhere an update, then an insert when there was no row. The caller then makes sure the
     * file is there ({@link org.merpati.ejb.storage.blob.BlobStore#ensurePlaced}): the blob collector deletes a
     * file only under this row's lock, so after the lock the file can only be missing if it was collected before.
     */
    public BlobEntity addBlobReferences(String id, long size, java.time.Instant now, int count) {
        if (postgres()) {
            em.createNativeQuery("INSERT INTO blobs (id, size_bytes, ref_count, created_at) VALUES (?1, ?2, ?3, ?4) "
                            + "ON CONFLICT (id) DO UPDATE SET ref_count = blobs.ref_count + EXCLUDED.ref_count, "
                            + "released_at = NULL")
                    .setParameter(1, id).setParameter(2, size).setParameter(3, (long) count).setParameter(4, now)
                    .executeUpdate();
        } else {
            int updated = em.createNativeQuery("UPDATE blobs SET ref_count = ref_count + ?1, "
                            + "released_at = NULL WHERE id = ?2")
                    .setParameter(1, (long) count).setParameter(2, id).executeUpdate();
            if (updated == 0) {
                em.createNativeQuery("INSERT INTO blobs (id, size_bytes, ref_count, created_at) "
                                + "VALUES (?1, ?2, ?3, ?4)")
                        .setParameter(1, id).setParameter(2, size).setParameter(3, (long) count).setParameter(4, now)
                        .executeUpdate();
            }
        }
        return em.getReference(BlobEntity.class, id);
    }

    /**
     * Counts {@code bytes} into the account's usage if it is enabled and stays within its quota (the rule of
     * QuotaPolicy: 0 is unlimited; nothing fits into a full account), in one statement that locks the row
     * until the transaction ends. An entity of the account already loaded keeps its old usage.
     *
     * @return false when the account does not exist, is disabled or would exceed its quota (nothing changed)
     */
    public boolean chargeAccount(long accountId, long bytes) {
        return em.createNativeQuery("UPDATE accounts SET used_bytes = used_bytes + ?1 WHERE id = ?2 AND enabled = TRUE "
                        + "AND (quota_bytes <= 0 OR (used_bytes + ?1 <= quota_bytes AND used_bytes < quota_bytes))")
                .setParameter(1, bytes).setParameter(2, accountId).executeUpdate() == 1;
    }

    /**
     * Takes the next UID and MODSEQ of the account's mailbox for a new message of {@code size} bytes and counts
     * it in, in one statement that locks the row until the transaction ends (so UIDs and MODSEQs are handed out
     * once each, in commit order of the lock). An entity of the mailbox already loaded keeps its old counters.
     */
    public Optional<Admission> admitMessage(long accountId, String name, long size) {
        String update = "UPDATE mailboxes SET uid_next = uid_next + 1, highest_modseq = highest_modseq + 1, "
                + "message_count = message_count + 1, size_bytes = size_bytes + ?1 WHERE account_id = ?2 AND name = ?3";
        String sql = postgres() ? update + " RETURNING id, uid_next - 1, highest_modseq, uid_validity"
                : "SELECT id, uid_next - 1, highest_modseq, uid_validity FROM FINAL TABLE (" + update + ")";
        List<?> rows = em.createNativeQuery(sql).setParameter(1, size).setParameter(2, accountId)
                .setParameter(3, name).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new Admission(((Number) row[0]).longValue(), ((Number) row[1]).longValue(),
                ((Number) row[2]).longValue(), ((Number) row[3]).longValue()));
    }

    private boolean postgres() {
        return em.unwrap(org.hibernate.engine.spi.SessionImplementor.class).getFactory().getJdbcServices()
                .getDialect() instanceof org.hibernate.dialect.PostgreSQLDialect;
    }

    /**
     * Deletes the mailboxes and messages of an account, releasing blob references (files whose count drops to
     * zero are left to a collector: another transaction may be about to reference them again).
     */
    public void deleteAllOf(AccountEntity account) {
        List<Object[]> uses = em.createQuery("select m.blob.id, count(m) from MessageEntity m "
                + "where m.mailbox.account = :account group by m.blob.id", Object[].class)
                .setParameter("account", account).getResultList();
        for (Object[] use : uses) {
            BlobEntity blob = em.find(BlobEntity.class, use[0], LockModeType.PESSIMISTIC_WRITE);
            if (blob != null) {
                blob.releaseReferences((Long) use[1]);
            }
        }
        em.createQuery("delete from MessageEntity m where m.mailbox in "
                + "(select b from MailboxEntity b where b.account = :account)")
                .setParameter("account", account).executeUpdate();
        em.createQuery("delete from MailboxEntity b where b.account = :account")
                .setParameter("account", account).executeUpdate();
        forgetIdentifier(account.getAddress());
    }

    // ---- mailbox access (IMAP, POP3) ----

    public EntityManager entityManager() {
        return em;
    }

    /** The account's mailbox with this id, or empty when it does not exist or belongs to someone else. */
    public Optional<MailboxEntity> findMailbox(AccountEntity account, long id) {
        return em.createQuery("select m from MailboxEntity m where m.id = :id and m.account = :account",
                        MailboxEntity.class)
                .setParameter("id", id).setParameter("account", account).getResultStream().findFirst();
    }

    /** The mailbox by id without loading it (for queries; the caller has checked access). */
    public MailboxEntity reference(long id) {
        return em.getReference(MailboxEntity.class, id);
    }

    /**
     * Locks a mailbox row already found, re-reading it under the lock (never trusting an instance loaded
     * earlier), so that UIDs and MODSEQs are handed out once each.
     */
    public MailboxEntity lock(MailboxEntity mailbox) {
        em.refresh(mailbox, LockModeType.PESSIMISTIC_WRITE);
        return mailbox;
    }

    /** Every UID of the mailbox, ascending. */
    public long[] uids(MailboxEntity mailbox) {
        return em.createQuery("select m.uid from MessageEntity m where m.mailbox = :mailbox order by m.uid",
                Long.class).setParameter("mailbox", mailbox).getResultStream().mapToLong(Long::longValue).toArray();
    }

    public long countUnseen(MailboxEntity mailbox) {
        return em.createQuery("select count(m) from MessageEntity m where m.mailbox = :mailbox and m.seen = false",
                Long.class).setParameter("mailbox", mailbox).getSingleResult();
    }

    public long countDeleted(MailboxEntity mailbox) {
        return em.createQuery("select count(m) from MessageEntity m where m.mailbox = :mailbox and m.deleted = true",
                Long.class).setParameter("mailbox", mailbox).getSingleResult();
    }

    /** The lowest UID without \Seen, or 0. */
    public long firstUnseenUid(MailboxEntity mailbox) {
        Long uid = em.createQuery("select min(m.uid) from MessageEntity m where m.mailbox = :mailbox "
                + "and m.seen = false", Long.class).setParameter("mailbox", mailbox).getSingleResult();
        return uid == null ? 0 : uid;
    }

    /** The distinct values of the keywords column (space-separated keyword lists). */
    public List<String> distinctKeywordLists(MailboxEntity mailbox) {
        return em.createQuery("select distinct m.keywords from MessageEntity m where m.mailbox = :mailbox "
                + "and m.keywords is not null", String.class).setParameter("mailbox", mailbox).getResultList();
    }

    /** Messages of all the account's mailboxes. */
    public long countMessages(AccountEntity account) {
        Long count = em.createQuery("select sum(b.messageCount) from MailboxEntity b where b.account = :account",
                Long.class).setParameter("account", account).getSingleResult();
        return count == null ? 0 : count;
    }

    /** Message entities (to change them) with UIDs in the ranges, ascending by UID. */
    public List<MessageEntity> messages(MailboxEntity mailbox, UidRanges uids) {
        if (uids.isEmpty()) {
            return List.of();
        }
        var query = em.createQuery("select m from MessageEntity m where m.mailbox = :mailbox and "
                + uids.condition("m", "u") + " order by m.uid", MessageEntity.class)
                .setParameter("mailbox", mailbox);
        uids.bind(query, "u");
        return query.getResultList();
    }

    /** Entities with \Deleted set, among the ranges (or all when null), ascending by UID. */
    public List<MessageEntity> deletedMessages(MailboxEntity mailbox, UidRanges uids) {
        String where = uids == null ? "" : " and " + uids.condition("m", "u");
        var query = em.createQuery("select m from MessageEntity m where m.mailbox = :mailbox and m.deleted = true"
                + where + " order by m.uid", MessageEntity.class).setParameter("mailbox", mailbox);
        if (uids != null) {
            uids.bind(query, "u");
        }
        return query.getResultList();
    }

    /** Blob ids of the messages with \Deleted among the ranges (or all when null): what an expunge releases. */
    public java.util.Set<String> deletedBlobIds(MailboxEntity mailbox, UidRanges uids) {
        String where = uids == null ? "" : " and " + uids.condition("m", "u");
        var query = em.createQuery("select distinct m.blob.id from MessageEntity m where m.mailbox = :mailbox "
                + "and m.deleted = true" + where, String.class).setParameter("mailbox", mailbox);
        if (uids != null) {
            uids.bind(query, "u");
        }
        return new java.util.TreeSet<>(query.getResultList());
    }

    /** Rows (not entities) with UIDs in the ranges, ascending; with the cached headers when asked. */
    public List<MessageRow> messageRows(MailboxEntity mailbox, UidRanges uids, boolean withHeaders) {
        if (uids.isEmpty()) {
            return List.of();
        }
        var query = em.createQuery("select " + MessageRow.COLUMNS + (withHeaders ? MessageRow.HEADER_COLUMNS : "")
                + " from MessageEntity m where m.mailbox = :mailbox and " + uids.condition("m", "u")
                + " order by m.uid", Object[].class).setParameter("mailbox", mailbox);
        uids.bind(query, "u");
        return query.getResultStream().map(MessageRow::of).toList();
    }

    /** Messages whose MODSEQ is above {@code modSeq}, ascending by UID (flags only, no cached headers). */
    public List<MessageRow> changedSince(MailboxEntity mailbox, long modSeq) {
        return em.createQuery("select " + MessageRow.COLUMNS + " from MessageEntity m where m.mailbox = :mailbox "
                        + "and m.modSeq > :modseq order by m.uid", Object[].class)
                .setParameter("mailbox", mailbox).setParameter("modseq", modSeq)
                .getResultStream().map(MessageRow::of).toList();
    }

    /** UIDs expunged from the mailbox after {@code modSeq}, ascending. */
    public long[] expungedSince(MailboxEntity mailbox, long modSeq) {
        return em.createQuery("select e.uid from ExpungedMessageEntity e where e.mailboxId = :mailbox "
                        + "and e.modSeq > :modseq order by e.uid", Long.class)
                .setParameter("mailbox", mailbox.getId()).setParameter("modseq", modSeq)
                .getResultStream().mapToLong(Long::longValue).toArray();
    }

    /** How many rows of the mailbox use each blob: what deleting the mailbox releases. */
    public java.util.Map<String, Long> blobUses(MailboxEntity mailbox) {
        java.util.Map<String, Long> uses = new java.util.TreeMap<>();
        em.createQuery("select m.blob.id, count(m) from MessageEntity m where m.mailbox = :mailbox "
                        + "group by m.blob.id", Object[].class).setParameter("mailbox", mailbox)
                .getResultStream().forEach(t -> uses.put((String) t[0], (Long) t[1]));
        return uses;
    }

    /**
     * Locks the blob rows in ascending id order (the lock order shared with delivery: blobs before accounts
     * before mailboxes). Ids without a row are left out.
     */
    public java.util.Map<String, BlobEntity> lockBlobs(java.util.Collection<String> ids) {
        java.util.Map<String, BlobEntity> locked = new java.util.TreeMap<>();
        for (String id : new java.util.TreeSet<>(ids)) {
            BlobEntity blob = em.find(BlobEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (blob != null) {
                locked.put(id, blob);
            }
        }
        return locked;
    }

    /** Deletes message rows by id (in batches), leaving counters and blob references to the caller. */
    public void deleteMessages(List<Long> ids) {
        for (int i = 0; i < ids.size(); i += 500) {
            em.createQuery("delete from MessageEntity m where m.id in :ids")
                    .setParameter("ids", ids.subList(i, Math.min(ids.size(), i + 500))).executeUpdate();
        }
    }

    /** Re-homes every message of {@code from} into {@code to}, keeping UIDs and MODSEQs. */
    public int moveAllMessages(MailboxEntity from, MailboxEntity to) {
        return em.createQuery("update MessageEntity m set m.mailbox = :to where m.mailbox = :from")
                .setParameter("to", to).setParameter("from", from).executeUpdate();
    }

    /** Deletes the mailbox row; its messages and expunge log go with it (the caller releases blobs first). */
    public void deleteMailbox(MailboxEntity mailbox) {
        em.createQuery("delete from MessageEntity m where m.mailbox = :mailbox")
                .setParameter("mailbox", mailbox).executeUpdate();
        em.createQuery("delete from ExpungedMessageEntity e where e.mailboxId = :mailbox")
                .setParameter("mailbox", mailbox.getId()).executeUpdate();
        em.remove(mailbox);
    }

    // ---- sharing (ACL) ----

    /** The mailbox with this id, whoever owns it (the caller checks rights). */
    public Optional<MailboxEntity> findAnyMailbox(long id) {
        return em.createQuery("select distinct m from MailboxEntity m join fetch m.account left join fetch m.acl"
                + " where m.id = :id", MailboxEntity.class).setParameter("id", id).getResultStream().findFirst();
    }

    /**
     * ACL entries naming one of the identifiers on mailboxes of the domain not owned by {@code user}: rows of
     * (mailbox, identifier, rights). What LIST needs to show the "Other Users" namespace.
     */
    public List<Object[]> aclEntriesFor(AccountEntity user, java.util.Collection<String> identifiers) {
        if (identifiers.isEmpty()) {
            return List.of();
        }
        return em.createQuery("select m, key(a), value(a) from MailboxEntity m join m.acl a "
                        + "where key(a) in :ids and m.account <> :user and m.account.domain = :domain "
                        + "order by m.id", Object[].class)
                .setParameter("ids", identifiers).setParameter("user", user)
                .setParameter("domain", user.getDomain()).getResultList();
    }

    /** Ids of the mailboxes (of other owners) the account subscribed to. */
    public java.util.Set<Long> subscribedSharedMailboxIds(AccountEntity account) {
        return new java.util.HashSet<>(em.createQuery("select m.id from MailboxEntity m join m.subscribers s "
                + "where s = :account", Long.class).setParameter("account", account.getId()).getResultList());
    }

    /**
     * Removes an identifier (and its negative form) from every ACL, so that an account created later with the
     * same address inherits nothing.
     */
    public void forgetIdentifier(String identifier) {
        em.createNativeQuery("DELETE FROM mailbox_acl WHERE identifier = ?1 OR identifier = ?2")
                .setParameter(1, identifier).setParameter(2, "-" + identifier).executeUpdate();
    }

    public void flush() {
        em.flush();
    }

    public void remove(Object entity) {
        em.remove(entity);
    }

    public void detach(Object entity) {
        em.detach(entity);
    }

    public void persist(Object entity) {
        em.persist(entity);
    }
}
