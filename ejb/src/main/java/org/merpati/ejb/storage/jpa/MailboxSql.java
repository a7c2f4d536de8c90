package org.merpati.ejb.storage.jpa;

import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;

/**
 * The IMAP hot path in plain JDBC: the reads of SELECT, STATUS, FETCH and change reports, on the
 * connection of the caller's persistence context ({@link Session#doReturningWork}, so the same JTA
 * transaction when there is one), with prepared statements and no entity in the persistence context.
 * Large reads go in keyset pages or UID-range batches, never the whole mailbox in one result.
 *
 * <p>STORE and EXPUNGE are set-based: one UPDATE (or DELETE) per batch of UID ranges that returns what it
 * changed (RETURNING on PostgreSQL, a data change delta table on H2), after taking the row locks in the
 * order delivery takes them (blobs ascending, account, mailbox).
 *
 * <p>Nothing here checks rights beyond ownership: {@link #ownedById} and {@link #ownedByName} find a
 * mailbox only when it belongs to the enabled account with the given address (its owner has every
 * right); anything else (shared mailboxes, unknown ids, disabled accounts) is left to the caller's full
 * resolution, which gives the exact answer and error.
 */
public final class MailboxSql {

    /** Rows read per page when a whole mailbox is walked (SELECT). */
    static final int PAGE = 5000;

    private static final String MAILBOX_COLUMNS = "b.id, b.name, b.uid_validity, b.uid_next, b.highest_modseq, "
            + "b.message_count, b.size_bytes, b.account_id";
    private static final String ROW_COLUMNS = "uid, modseq, flag_seen, flag_answered, flag_flagged, flag_deleted, "
            + "flag_draft, keywords, internal_date, saved_date, size_bytes, blob_id";
    private static final String HEADER_COLUMNS = ", subject, date_header, envelope, body_structure";
    /** The owner check over {@code accounts a}: the enabled user account with the address (never a public-folder owner). */
    private static final String OWNER = "a.address = ? AND a.enabled = TRUE AND a.kind = 'USER'";

    /** A mailbox row read with its owner check, and its counters at that moment. */
    public record OwnedMailbox(long id, String name, long uidValidity, long uidNext, long highestModSeq,
                               long messageCount, long sizeBytes, long accountId) {
    }

    /** The owner's mailbox an APPEND goes into, with what its early quota answer needs. */
    public record AppendTarget(long mailboxId, String name, long accountId, long quotaBytes, long usedBytes) {
    }

    /** What SELECT needs from the message rows below a UID: one pass, see {@link #selectSummary}. */
    public record SelectSummary(long[] uids, long unseen, long deleted, long firstUnseen, Set<String> keywordLists) {
    }

    private final EntityManager em;

    public MailboxSql(EntityManager em) {
        this.em = em;
    }

    private <T> T work(ReturningWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work);
    }

    // ---- mailboxes, with the owner check ----

    /** The mailbox with this id if the enabled user account {@code address} owns it. */
    public Optional<OwnedMailbox> ownedById(String address, long mailboxId) {
        return work(c -> owned(c, "b.id = ?", mailboxId, address));
    }

    /** The mailbox of the enabled account {@code address} with this (canonical, own) name. */
    public Optional<OwnedMailbox> ownedByName(String address, String name) {
        return work(c -> owned(c, "b.name = ?", name, address));
    }

    /** {@link #ownedByName} for APPEND: the mailbox and its account's quota and usage, in one statement. */
    public Optional<AppendTarget> appendTarget(String address, String name) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT b.id, b.name, a.id, a.quota_bytes, a.used_bytes"
                    + " FROM mailboxes b JOIN accounts a ON a.id = b.account_id WHERE b.name = ? AND " + OWNER)) {
                ps.setString(1, name);
                ps.setString(2, address);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new AppendTarget(rs.getLong(1), rs.getString(2), rs.getLong(3),
                            rs.getLong(4), rs.getLong(5))) : Optional.empty();
                }
            }
        });
    }

    private static Optional<OwnedMailbox> owned(Connection c, String condition, Object key, String address)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + MAILBOX_COLUMNS
                + " FROM mailboxes b JOIN accounts a ON a.id = b.account_id WHERE " + condition + " AND " + OWNER)) {
            ps.setObject(1, key);
            ps.setString(2, address);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new OwnedMailbox(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)));
            }
        }
    }

    // ---- reads ----

    /** Messages without \Seen and with \Deleted, in one statement (STATUS). */
    public long[] unseenAndDeleted(long mailboxId) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT SUM(CASE WHEN flag_seen THEN 0 ELSE 1 END), "
                    + "SUM(CASE WHEN flag_deleted THEN 1 ELSE 0 END) FROM messages WHERE mailbox_id = ?")) {
                ps.setLong(1, mailboxId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2)};
                }
            }
        });
    }

    /**
     * SELECT's view of the rows below {@code uidNext}, in keyset pages of {@value #PAGE}: UIDs ascending,
     * counts of unseen and deleted, the first unseen UID (0 when none) and the distinct keyword lists.
     */
    public SelectSummary selectSummary(long mailboxId, long uidNext) {
        return work(c -> {
            long[] uids = new long[64];
            int n = 0;
            long unseen = 0;
            long deleted = 0;
            long firstUnseen = 0;
            Set<String> keywords = new LinkedHashSet<>();
            long after = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT uid, flag_seen, flag_deleted, keywords "
                    + "FROM messages WHERE mailbox_id = ? AND uid > ? AND uid < ? ORDER BY uid "
                    + "FETCH FIRST " + PAGE + " ROWS ONLY")) {
                while (true) {
                    ps.setLong(1, mailboxId);
                    ps.setLong(2, after);
                    ps.setLong(3, uidNext);
                    int page = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            page++;
                            long uid = rs.getLong(1);
                            if (n == uids.length) {
                                uids = java.util.Arrays.copyOf(uids, n * 2);
                            }
                            uids[n++] = uid;
                            if (!rs.getBoolean(2)) {
                                unseen++;
                                if (firstUnseen == 0) {
                                    firstUnseen = uid;
                                }
                            }
                            if (rs.getBoolean(3)) {
                                deleted++;
                            }
                            String k = rs.getString(4);
                            if (k != null) {
                                keywords.add(k);
                            }
                            after = uid;
                        }
                    }
                    if (page < PAGE) {
                        break;
                    }
                }
            }
            return new SelectSummary(java.util.Arrays.copyOf(uids, n), unseen, deleted, firstUnseen, keywords);
        });
    }

    /** Rows with UIDs in the ranges, ascending, in batches of {@link UidRanges#RANGES_PER_QUERY} ranges. */
    public void rows(long mailboxId, UidRanges uids, boolean withHeaders, Consumer<MessageRow> sink) {
        rows(null, mailboxId, uids, withHeaders, sink);
    }

    /**
     * {@link #rows} of a mailbox of the enabled account {@code address}, with that ownership checked by the same
     * statement (one round trip for the owner's FETCH instead of two). Returns whether any row came, which proves
     * ownership; without rows nothing is known, and the caller checks access in full.
     */
    public boolean ownedRows(String address, long mailboxId, UidRanges uids, boolean withHeaders,
                             Consumer<MessageRow> sink) {
        return rows(address, mailboxId, uids, withHeaders, sink) > 0;
    }

    /** {@link #rows}, of the mailbox only if {@code owner} (when not null) owns it; returns how many rows came. */
    private long rows(String owner, long mailboxId, UidRanges uids, boolean withHeaders, Consumer<MessageRow> sink) {
        if (uids.isEmpty()) {
            return 0;
        }
        return work(c -> {
            long count = 0;
            for (UidRanges batch : uids.batches(UidRanges.RANGES_PER_QUERY)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS
                        + (withHeaders ? HEADER_COLUMNS : "") + " FROM messages WHERE mailbox_id = ? AND ("
                        + condition(batch) + ")" + (owner == null ? "" : " AND EXISTS (SELECT 1 FROM mailboxes b"
                        + " JOIN accounts a ON a.id = b.account_id WHERE b.id = ? AND " + OWNER + ")")
                        + " ORDER BY uid")) {
                    ps.setLong(1, mailboxId);
                    int next = bind(ps, 2, batch);
                    if (owner != null) {
                        ps.setLong(next, mailboxId);
                        ps.setString(next + 1, owner);
                    }
                    count += read(ps, withHeaders, sink);
                }
            }
            return count;
        });
    }

    /**
     * The UIDs of the mailbox's rows matching {@code condition} ({@link #scan}'s form), ascending: for conditions
     * that are the whole answer, so that an index holding the UIDs (V10) can answer without the rows.
     */
    public long[] uids(long mailboxId, String condition, List<Object> parameters) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT uid FROM messages WHERE mailbox_id = ?"
                    + (condition == null ? "" : " AND (" + condition + ")") + " ORDER BY uid")) {
                ps.setLong(1, mailboxId);
                int index = 2;
                for (Object value : parameters) {
                    ps.setObject(index++, value instanceof Instant t ? t.atOffset(java.time.ZoneOffset.UTC) : value);
                }
                return longs(ps);
            }
        });
    }

    /**
     * SEARCH's candidate rows: the mailbox's rows matching {@code condition} (SQL over the messages table's
     * columns, with {@code ?} placeholders for {@code parameters}: Long, Boolean, String or Instant), ascending
     * by UID, streamed {@code fetchSize} at a time; returns the UIDs of those {@code keep} accepts. Plain JDBC
     * on purpose: the conditions vary with each search's key tree and UID sets, and interpreting a fresh JPQL
     * string per search cost more than the search.
     */
    public long[] scan(long mailboxId, String condition, List<Object> parameters, boolean withHeaders, int fetchSize,
                       java.util.function.Predicate<MessageRow> keep) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS
                    + (withHeaders ? HEADER_COLUMNS : "") + " FROM messages WHERE mailbox_id = ?"
                    + (condition == null ? "" : " AND (" + condition + ")") + " ORDER BY uid")) {
                ps.setFetchSize(fetchSize);
                ps.setLong(1, mailboxId);
                int index = 2;
                for (Object value : parameters) {
                    ps.setObject(index++, value instanceof Instant t ? t.atOffset(java.time.ZoneOffset.UTC) : value);
                }
                long[] uids = new long[16];
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        MessageRow row = row(rs, withHeaders);
                        if (keep.test(row)) {
                            if (n == uids.length) {
                                uids = java.util.Arrays.copyOf(uids, n * 2);
                            }
                            uids[n++] = row.uid();
                        }
                    }
                }
                return java.util.Arrays.copyOf(uids, n);
            }
        });
    }

    /** Rows whose MODSEQ is above {@code modSeq}, ascending by UID (flags only). */
    public List<MessageRow> changedSince(long mailboxId, long modSeq) {
        return work(c -> {
            List<MessageRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS
                    + " FROM messages WHERE mailbox_id = ? AND modseq > ? ORDER BY uid")) {
                ps.setLong(1, mailboxId);
                ps.setLong(2, modSeq);
                read(ps, false, out::add);
            }
            return out;
        });
    }

    /** UIDs expunged after {@code modSeq}, ascending. */
    public long[] expungedSince(long mailboxId, long modSeq) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT uid FROM expunged_messages "
                    + "WHERE mailbox_id = ? AND modseq > ? ORDER BY uid")) {
                ps.setLong(1, mailboxId);
                ps.setLong(2, modSeq);
                return longs(ps);
            }
        });
    }

    // ---- STORE, EXPUNGE ----

    /** One message's flags after a change, as RETURNING gave them. */
    public record FlagRow(long uid, boolean seen, boolean answered, boolean flagged, boolean deleted, boolean draft,
                          String keywords) {
    }

    /** Locks the mailbox row until the transaction ends and returns its HIGHEST MODSEQ; -1 when it is gone. */
    public long lockMailbox(long mailboxId) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT highest_modseq FROM mailboxes WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, mailboxId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : -1L;
                }
            }
        });
    }

    /** UIDs in the ranges whose MODSEQ is above {@code modSeq} (CONDSTORE's UNCHANGEDSINCE refusals). */
    public long[] modifiedSince(long mailboxId, UidRanges uids, long modSeq) {
        return work(c -> {
            long[] out = new long[0];
            for (UidRanges batch : uids.batches(UidRanges.RANGES_PER_QUERY)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT uid FROM messages WHERE mailbox_id = ? AND ("
                        + condition(batch) + ") AND modseq > ? ORDER BY uid")) {
                    ps.setLong(1, mailboxId);
                    ps.setLong(bind(ps, 2, batch), modSeq);
                    out = concat(out, longs(ps));
                }
            }
            return out;
        });
    }

    /**
     * Sets ({@code value} true) or clears system flag columns on the messages in the ranges where that
     * changes something, with {@code newModSeq}; with {@code clearKeywords} (REPLACE) every column given is
     * set to its value and the keywords are removed. Messages with a MODSEQ above {@code unchangedSince}
     * (when it is not negative) are left alone. Call with the mailbox locked.
     *
     * @param columns flag columns (flag_seen...) the operation sets to {@code value}; for REPLACE the
     *                columns to set, the others of {@link #FLAG_COLUMNS} are cleared
     * @return the changed messages with their new flags, ascending by UID
     */
    public List<FlagRow> updateFlags(long mailboxId, UidRanges uids, List<String> columns, boolean value,
                                     boolean replace, long unchangedSince, long newModSeq) {
        StringBuilder set = new StringBuilder();
        StringBuilder changes = new StringBuilder();
        for (String column : FLAG_COLUMNS) {
            boolean given = columns.contains(column);
            if (!replace && !given) {
                continue;
            }
            boolean target = replace ? given : value;
            set.append(column).append(" = ").append(target ? "TRUE" : "FALSE").append(", ");
            changes.append(changes.length() == 0 ? "" : " OR ").append(column).append(" = ")
                    .append(target ? "FALSE" : "TRUE");
        }
        if (replace) {
            set.append("keywords = NULL, ");
            changes.append(" OR (keywords IS NOT NULL AND TRIM(keywords) <> '')");
        }
        if (changes.length() == 0) {
            return List.of(); // nothing to set: no message changes
        }
        String update = "UPDATE messages SET " + set + "modseq = ? WHERE mailbox_id = ? AND (%s) AND ("
                + changes + ")" + (unchangedSince >= 0 ? " AND modseq <= ?" : "");
        String returned = "uid, flag_seen, flag_answered, flag_flagged, flag_deleted, flag_draft, keywords";
        return work(c -> {
            List<FlagRow> out = new ArrayList<>();
            for (UidRanges batch : uids.batches(UidRanges.RANGES_PER_QUERY)) {
                String sql = update.formatted(condition(batch));
                sql = postgres(c) ? sql + " RETURNING " + returned
                        : "SELECT " + returned + " FROM FINAL TABLE (" + sql + ")";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, newModSeq);
                    ps.setLong(2, mailboxId);
                    int next = bind(ps, 3, batch);
                    if (unchangedSince >= 0) {
                        ps.setLong(next, unchangedSince);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new FlagRow(rs.getLong(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4),
                                    rs.getBoolean(5), rs.getBoolean(6), rs.getString(7)));
                        }
                    }
                }
            }
            out.sort(java.util.Comparator.comparingLong(FlagRow::uid));
            return out;
        });
    }

    /** Writes each row's flags and keywords with {@code modSeq}, in one JDBC batch. Call with the mailbox locked. */
    public void writeFlags(long mailboxId, List<FlagRow> rows, long modSeq) {
        if (rows.isEmpty()) {
            return;
        }
        work(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET flag_seen = ?, flag_answered = ?, "
                    + "flag_flagged = ?, flag_deleted = ?, flag_draft = ?, keywords = ?, modseq = ? "
                    + "WHERE mailbox_id = ? AND uid = ?")) {
                for (FlagRow r : rows) {
                    ps.setBoolean(1, r.seen());
                    ps.setBoolean(2, r.answered());
                    ps.setBoolean(3, r.flagged());
                    ps.setBoolean(4, r.deleted());
                    ps.setBoolean(5, r.draft());
                    ps.setString(6, r.keywords());
                    ps.setLong(7, modSeq);
                    ps.setLong(8, mailboxId);
                    ps.setLong(9, r.uid());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The system flag columns, in ImapFlags' bit order. */
    public static final List<String> FLAG_COLUMNS = List.of("flag_seen", "flag_answered", "flag_flagged",
            "flag_deleted", "flag_draft");

    /** Sets the mailbox's HIGHEST MODSEQ (the row is locked; the value is above the old one). */
    public void setHighestModSeq(long mailboxId, long modSeq) {
        work(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mailboxes SET highest_modseq = ? WHERE id = ?")) {
                ps.setLong(1, modSeq);
                ps.setLong(2, mailboxId);
                return ps.executeUpdate();
            }
        });
    }

    /** Blob ids of the messages with \Deleted in the ranges (all when null): what an expunge releases. */
    public java.util.SortedSet<String> deletedBlobIds(long mailboxId, UidRanges uids) {
        return work(c -> {
            java.util.SortedSet<String> out = new java.util.TreeSet<>();
            List<UidRanges> batches = uids == null ? java.util.Collections.singletonList(null)
                    : uids.batches(UidRanges.RANGES_PER_QUERY);
            for (UidRanges batch : batches) {
                try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT blob_id FROM messages "
                        + "WHERE mailbox_id = ? AND flag_deleted = TRUE"
                        + (batch == null ? "" : " AND (" + condition(batch) + ")"))) {
                    ps.setLong(1, mailboxId);
                    if (batch != null) {
                        bind(ps, 2, batch);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                }
            }
            return out;
        });
    }

    /**
     * Locks the blob rows in ascending id order (the lock order shared with delivery) and returns the ids
     * that exist, then locks the account row.
     */
    public java.util.SortedSet<String> lockBlobsThenAccount(java.util.SortedSet<String> blobIds, long accountId) {
        return work(c -> {
            java.util.SortedSet<String> locked = new java.util.TreeSet<>();
            List<String> ids = new ArrayList<>(blobIds);
            for (int i = 0; i < ids.size(); i += BLOB_BATCH) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + BLOB_BATCH));
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM blobs WHERE id IN ("
                        + placeholders(chunk.size()) + ") ORDER BY id FOR UPDATE")) {
                    for (int j = 0; j < chunk.size(); j++) {
                        ps.setString(j + 1, chunk.get(j));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            locked.add(rs.getString(1));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM accounts WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, accountId);
                ps.executeQuery().close();
            }
            return locked;
        });
    }

    /** One removed message row. */
    public record RemovedRow(long id, long uid, long sizeBytes, String blobId) {
    }

    /**
     * Deletes the messages with \Deleted in the ranges (all when null) whose blob is among {@code blobIds}
     * (locked by the caller; a message flagged after they were chosen waits for the next expunge), logs their
     * UIDs as expunged at {@code modSeq}, counts them out of the mailbox (setting its HIGHEST MODSEQ to
     * {@code modSeq}), releases their blob references and the owner's usage. Call with blobs, account and
     * mailbox locked, in that order. Nothing is written when no message qualifies.
     *
     * @return the removed rows, ascending by UID
     */
    public List<RemovedRow> expunge(long mailboxId, long accountId, UidRanges uids, java.util.SortedSet<String> blobIds,
                                    long modSeq) {
        if (blobIds.isEmpty()) {
            return List.of();
        }
        return work(c -> {
            boolean postgres = postgres(c);
            List<RemovedRow> removed = new ArrayList<>();
            List<String> ids = new ArrayList<>(blobIds);
            List<UidRanges> batches = uids == null ? java.util.Collections.singletonList(null)
                    : uids.batches(UidRanges.RANGES_PER_QUERY);
            for (int i = 0; i < ids.size(); i += BLOB_BATCH) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + BLOB_BATCH));
                for (UidRanges batch : batches) {
                    String delete = "DELETE FROM messages WHERE mailbox_id = ? AND flag_deleted = TRUE"
                            + (batch == null ? "" : " AND (" + condition(batch) + ")")
                            + " AND blob_id IN (" + placeholders(chunk.size()) + ")";
                    String sql = postgres ? delete + " RETURNING id, uid, size_bytes, blob_id"
                            : "SELECT id, uid, size_bytes, blob_id FROM OLD TABLE (" + delete + ")";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setLong(1, mailboxId);
                        int next = batch == null ? 2 : bind(ps, 2, batch);
                        for (String id : chunk) {
                            ps.setString(next++, id);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                removed.add(new RemovedRow(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                                        rs.getString(4)));
                            }
                        }
                    }
                }
            }
            if (removed.isEmpty()) {
                return removed;
            }
            removed.sort(java.util.Comparator.comparingLong(RemovedRow::uid));
            long bytes = 0;
            java.util.Map<String, Long> released = new java.util.TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO expunged_messages (mailbox_id, uid, modseq) VALUES (?, ?, ?)")) {
                for (RemovedRow r : removed) {
                    ps.setLong(1, mailboxId);
                    ps.setLong(2, r.uid());
                    ps.setLong(3, modSeq);
                    ps.addBatch();
                    bytes += r.sizeBytes();
                    released.merge(r.blobId(), 1L, Long::sum);
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE mailboxes SET highest_modseq = ?, "
                    + "message_count = GREATEST(0, message_count - ?), size_bytes = GREATEST(0, size_bytes - ?) "
                    + "WHERE id = ?")) {
                ps.setLong(1, modSeq);
                ps.setLong(2, removed.size());
                ps.setLong(3, bytes);
                ps.setLong(4, mailboxId);
                ps.executeUpdate();
            }
            // the last reference starts the blob collector's grace period (V9 released_at)
            OffsetDateTime now = OffsetDateTime.now(java.time.ZoneOffset.UTC);
            try (PreparedStatement ps = c.prepareStatement("UPDATE blobs SET ref_count = GREATEST(0, ref_count - ?), "
                    + "released_at = CASE WHEN ref_count <= ? THEN ? ELSE released_at END WHERE id = ?")) {
                for (java.util.Map.Entry<String, Long> e : released.entrySet()) {
                    ps.setLong(1, e.getValue());
                    ps.setLong(2, e.getValue());
                    ps.setObject(3, now);
                    ps.setString(4, e.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE accounts SET used_bytes = GREATEST(0, used_bytes - ?) WHERE id = ?")) {
                ps.setLong(1, bytes);
                ps.setLong(2, accountId);
                ps.executeUpdate();
            }
            return removed;
        });
    }

    /** Blob ids per IN list. */
    static final int BLOB_BATCH = 500;

    // ---- helpers ----

    private static boolean postgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** {@code uid BETWEEN ? AND ?} per range, or'ed (a single UID as {@code uid = ?}). */
    static String condition(UidRanges ranges) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < ranges.size(); i++) {
            if (i > 0) {
                sql.append(" OR ");
            }
            sql.append(ranges.low(i) == ranges.high(i) ? "uid = ?" : "uid BETWEEN ? AND ?");
        }
        return sql.toString();
    }

    /** Binds {@link #condition} from parameter {@code index}; returns the next free index. */
    static int bind(PreparedStatement ps, int index, UidRanges ranges) throws SQLException {
        for (int i = 0; i < ranges.size(); i++) {
            ps.setLong(index++, ranges.low(i));
            if (ranges.low(i) != ranges.high(i)) {
                ps.setLong(index++, ranges.high(i));
            }
        }
        return index;
    }

    static long[] longs(PreparedStatement ps) throws SQLException {
        long[] out = new long[16];
        int n = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, n * 2);
                }
                out[n++] = rs.getLong(1);
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** @return how many rows the sink got */
    private static int read(PreparedStatement ps, boolean withHeaders, Consumer<MessageRow> sink)
            throws SQLException {
        int count = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sink.accept(row(rs, withHeaders));
                count++;
            }
        }
        return count;
    }

    /** A row in {@link #ROW_COLUMNS} order (then {@link #HEADER_COLUMNS} when asked). */
    static MessageRow row(ResultSet rs, boolean withHeaders) throws SQLException {
        return new MessageRow(rs.getLong(1), rs.getLong(2), rs.getBoolean(3), rs.getBoolean(4), rs.getBoolean(5),
                rs.getBoolean(6), rs.getBoolean(7), rs.getString(8), instant(rs, 9), instant(rs, 10), rs.getLong(11),
                rs.getString(12), withHeaders ? rs.getString(13) : null, withHeaders ? rs.getString(14) : null,
                withHeaders ? rs.getString(15) : null, withHeaders ? rs.getString(16) : null);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
