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

    /** A mailbox row read with its owner check, and its counters at that moment. */
    public record OwnedMailbox(long id, String name, long uidValidity, long uidNext, long highestModSeq,
                               long messageCount, long sizeBytes, long accountId) {
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

    /** The mailbox with this id if the enabled account {@code address} owns it. */
    public Optional<OwnedMailbox> ownedById(String address, long mailboxId) {
        return work(c -> owned(c, "b.id = ?", mailboxId, address));
    }

    /** The mailbox of the enabled account {@code address} with this (canonical, own) name. */
    public Optional<OwnedMailbox> ownedByName(String address, String name) {
        return work(c -> owned(c, "b.name = ?", name, address));
    }

    private static Optional<OwnedMailbox> owned(Connection c, String condition, Object key, String address)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + MAILBOX_COLUMNS
                + " FROM mailboxes b JOIN accounts a ON a.id = b.account_id WHERE " + condition
                + " AND a.address = ? AND a.enabled = TRUE")) {
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
        if (uids.isEmpty()) {
            return;
        }
        work(c -> {
            for (UidRanges batch : uids.batches(UidRanges.RANGES_PER_QUERY)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + ROW_COLUMNS
                        + (withHeaders ? HEADER_COLUMNS : "") + " FROM messages WHERE mailbox_id = ? AND ("
                        + condition(batch) + ") ORDER BY uid")) {
                    ps.setLong(1, mailboxId);
                    bind(ps, 2, batch);
                    read(ps, withHeaders, sink);
                }
            }
            return null;
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

    // ---- helpers ----

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

    private static void read(PreparedStatement ps, boolean withHeaders, Consumer<MessageRow> sink)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sink.accept(row(rs, withHeaders));
            }
        }
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
