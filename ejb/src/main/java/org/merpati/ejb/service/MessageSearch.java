package org.merpati.ejb.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.BiFunction;
import org.merpati.connector.api.access.BodyPart;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.ejb.mime.CachedStructure;
import org.merpati.ejb.mime.MessageTextScanner;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.MailboxSql;
import org.merpati.ejb.storage.jpa.MessageRow;
import org.merpati.ejb.storage.jpa.UidRanges;

/**
 * Evaluates a SEARCH key tree. What SQL can answer (UIDs, system flags, internal and saved dates, age,
 * size, MODSEQ, EMAILID) becomes an SQL condition on the messages table ({@link MailboxSql#scan}); when the whole tree is of that kind the database's
 * answer is final. Otherwise the condition is a superset filter and the rows it lets through are streamed
 * (never the whole mailbox in memory) and the tree is evaluated on each in Java, cheapest keys first:
 * keywords and SENT dates from the row, FROM/TO/SUBJECT... from the cached envelope, other header fields
 * from the blob's header, BODY/TEXT by streaming the blob's text parts. Before all that, a full-text index
 * (when given and trusted) rewrites text keys into UID sets, so that SQL reads and the scanner opens only
 * the candidates ({@link org.merpati.ejb.search.MessageIndex}).
 *
 * <p>Dates without time compare in UTC for the internal and saved dates (the stored instants carry no
 * zone) and as written in the Date header for SENT*, falling back to the internal date when the header is
 * missing or unreadable.
 */
public final class MessageSearch {

    /** Rows fetched per round trip while streaming candidates. */
    static final int FETCH_SIZE = 256;

    /** The header fields IMAP's ENVELOPE holds: searched in the cached envelope, not in the blob. */
    private static final Set<String> ENVELOPE_FIELDS = Set.of("date", "subject", "from", "sender", "reply-to",
            "to", "cc", "bcc", "in-reply-to", "message-id");

    private final MailboxSql rows;
    private final BlobStore blobs;
    private final Instant now;
    private final BiFunction<Long, SearchKey, SearchKey> index;
    /** UID sets of the keys under evaluation, for membership tests by binary search. */
    private final Map<SearchKey.Uids, UidRanges> uidSets = new IdentityHashMap<>();

    public MessageSearch(MailboxSql rows, BlobStore blobs, Instant now) {
        this(rows, blobs, now, (mailboxId, key) -> key);
    }

    /**
     * @param index rewrites a key for a mailbox id into an equivalent one narrowed by a full-text index
     *              (identity when there is none)
     */
    public MessageSearch(MailboxSql rows, BlobStore blobs, Instant now,
                         BiFunction<Long, SearchKey, SearchKey> index) {
        this.rows = rows;
        this.blobs = blobs;
        this.now = now;
        this.index = index;
    }

    /** UIDs of the mailbox's messages matching the key, ascending. */
    public long[] search(long mailboxId, SearchKey original) {
        SearchKey key = index.apply(mailboxId, original);
        List<Object> parameters = new ArrayList<>();
        Sql sql = toSql(key, parameters);
        if (sql.exact) {
            return rows.uids(mailboxId, sql.condition, parameters);
        }
        return rows.scan(mailboxId, sql.condition, parameters, cost(key) >= COST_ENVELOPE, FETCH_SIZE,
                row -> new Candidate(row).matches(key));
    }

    // ---- SQL ----

    /**
     * An SQL condition on the messages table's columns, with {@code ?} placeholders: null means no restriction. When {@code exact}, it matches exactly
     * what the key matches; otherwise it matches a superset.
     */
    record Sql(String condition, boolean exact) {
        static final Sql TRUE_EXACT = new Sql(null, true);
        static final Sql TRUE_SUPERSET = new Sql(null, false);
        static final Sql FALSE = new Sql("1 = 0", true);
    }

    Sql toSql(SearchKey key, List<Object> p) {
        if (key instanceof SearchKey.All) {
            return Sql.TRUE_EXACT;
        }
        if (key instanceof SearchKey.And and) {
            List<String> parts = new ArrayList<>();
            boolean exact = true;
            for (SearchKey k : and.keys()) {
                Sql s = toSql(k, p);
                exact &= s.exact;
                if (s.condition != null) {
                    parts.add("(" + s.condition + ")");
                }
            }
            return new Sql(parts.isEmpty() ? null : String.join(" AND ", parts), exact);
        }
        if (key instanceof SearchKey.Or or) {
            int mark = p.size();
            Sql l = toSql(or.left(), p);
            Sql r = toSql(or.right(), p);
            boolean exact = l.exact && r.exact;
            if (l.condition == null || r.condition == null) {
                p.subList(mark, p.size()).clear(); // the conditions are dropped, and their parameters
                return exact ? Sql.TRUE_EXACT : Sql.TRUE_SUPERSET; // either side may match anything
            }
            return new Sql("(" + l.condition + ") OR (" + r.condition + ")", exact);
        }
        if (key instanceof SearchKey.Not not) {
            int mark = p.size();
            Sql s = toSql(not.key(), p);
            if (!s.exact) {
                p.subList(mark, p.size()).clear();
                return Sql.TRUE_SUPERSET; // the complement of a superset says nothing
            }
            return s.condition == null ? Sql.FALSE : new Sql("NOT (" + s.condition + ")", true);
        }
        if (key instanceof SearchKey.Uids uids) {
            UidRanges ranges = UidRanges.ofRanges(uids.ranges());
            if (ranges.isEmpty()) {
                return Sql.FALSE;
            }
            if (ranges.size() <= UidRanges.RANGES_PER_QUERY) {
                StringBuilder or = new StringBuilder();
                for (int i = 0; i < ranges.size(); i++) {
                    or.append(i == 0 ? "" : " OR ");
                    p.add(ranges.low(i));
                    if (ranges.low(i) == ranges.high(i)) {
                        or.append("uid = ?");
                    } else {
                        or.append("uid BETWEEN ? AND ?");
                        p.add(ranges.high(i));
                    }
                }
                return new Sql(or.toString(), true);
            }
            p.add(ranges.min());
            p.add(ranges.max());
            return new Sql("uid BETWEEN ? AND ?", false);
        }
        if (key instanceof SearchKey.Flag flag) {
            String column = flagColumn(flag.flag());
            if (column == null) {
                return flag.flag().startsWith("\\") ? (flag.set() ? Sql.FALSE : Sql.TRUE_EXACT) : Sql.TRUE_SUPERSET;
            }
            return new Sql(column + " = " + (flag.set() ? "TRUE" : "FALSE"), true);
        }
        if (key instanceof SearchKey.Date date && date.field() != SearchKey.DateField.SENT) {
            String column = date.field() == SearchKey.DateField.INTERNAL ? "internal_date" : "saved_date";
            Instant start = date.date().atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = start.plus(1, ChronoUnit.DAYS);
            return switch (date.comparison()) {
                case BEFORE -> new Sql(column + " < " + bind(p, start), true);
                case SINCE -> new Sql(column + " >= " + bind(p, start), true);
                case ON -> new Sql(column + " >= " + bind(p, start) + " AND " + column + " < " + bind(p, end), true);
            };
        }
        if (key instanceof SearchKey.Age age) {
            Instant limit = now.minusSeconds(age.seconds());
            return new Sql("internal_date " + (age.older() ? "<= " : "> ") + bind(p, limit), true);
        }
        if (key instanceof SearchKey.Size size) {
            return new Sql("size_bytes " + (size.larger() ? "> " : "< ") + bind(p, size.bytes()), true);
        }
        if (key instanceof SearchKey.ModSeq modSeq) {
            return new Sql("modseq >= " + bind(p, modSeq.min()), true);
        }
        if (key instanceof SearchKey.ObjectId id) {
            String blobId = blobIdOf(id);
            return blobId == null ? Sql.FALSE : new Sql("blob_id = " + bind(p, blobId), true);
        }
        return Sql.TRUE_SUPERSET; // Header, Text, SENT dates: Java only
    }

    /** Adds a parameter; returns its placeholder. */
    private static String bind(List<Object> p, Object value) {
        p.add(value);
        return "?";
    }

    private static String flagColumn(String flag) {
        return switch (flag.toLowerCase(Locale.ROOT)) {
            case "\\seen" -> "flag_seen";
            case "\\answered" -> "flag_answered";
            case "\\flagged" -> "flag_flagged";
            case "\\deleted" -> "flag_deleted";
            case "\\draft" -> "flag_draft";
            default -> null;
        };
    }

    /** EMAILID is "M" + blob id (MailboxManager); THREADID is not assigned, so it matches nothing. */
    private static String blobIdOf(SearchKey.ObjectId id) {
        if (id.thread() || id.id() == null || id.id().length() != 65 || id.id().charAt(0) != 'M') {
            return null;
        }
        return id.id().substring(1);
    }

    // ---- Java evaluation ----

    private static final int COST_ROW = 0;
    private static final int COST_ENVELOPE = 1;
    private static final int COST_HEADER = 2;
    private static final int COST_BODY = 3;

    /** How expensive a key is to evaluate in Java: the most expensive key in it. */
    static int cost(SearchKey key) {
        if (key instanceof SearchKey.And and) {
            return and.keys().stream().mapToInt(MessageSearch::cost).max().orElse(COST_ROW);
        }
        if (key instanceof SearchKey.Or or) {
            return Math.max(cost(or.left()), cost(or.right()));
        }
        if (key instanceof SearchKey.Not not) {
            return cost(not.key());
        }
        if (key instanceof SearchKey.Header header) {
            return ENVELOPE_FIELDS.contains(header.field().toLowerCase(Locale.ROOT)) ? COST_ENVELOPE : COST_HEADER;
        }
        if (key instanceof SearchKey.Text) {
            return COST_BODY;
        }
        if (key instanceof SearchKey.Date date && date.field() == SearchKey.DateField.SENT) {
            return COST_ENVELOPE; // needs the Date header column
        }
        return COST_ROW;
    }

    /** One row under evaluation, with what was read about it cached for the other keys. */
    private final class Candidate {

        private final MessageRow row;
        private ImapFlags flags;
        private BodyPart structure;
        private boolean structureRead;

        Candidate(MessageRow row) {
            this.row = row;
        }

        boolean matches(SearchKey key) {
            if (key instanceof SearchKey.All) {
                return true;
            }
            if (key instanceof SearchKey.And and) {
                return and.keys().stream().sorted(Comparator.comparingInt(MessageSearch::cost))
                        .allMatch(this::matches);
            }
            if (key instanceof SearchKey.Or or) {
                boolean leftFirst = cost(or.left()) <= cost(or.right());
                SearchKey first = leftFirst ? or.left() : or.right();
                SearchKey second = leftFirst ? or.right() : or.left();
                return matches(first) || matches(second);
            }
            if (key instanceof SearchKey.Not not) {
                return !matches(not.key());
            }
            if (key instanceof SearchKey.Uids uids) {
                return uidSets.computeIfAbsent(uids, u -> UidRanges.ofRanges(u.ranges())).contains(row.uid());
            }
            if (key instanceof SearchKey.Flag flag) {
                return flags().contains(flag.flag()) == flag.set();
            }
            if (key instanceof SearchKey.Date date) {
                return matchesDate(date);
            }
            if (key instanceof SearchKey.Age age) {
                Instant limit = now.minusSeconds(age.seconds());
                return age.older() ? !row.internalDate().isAfter(limit) : row.internalDate().isAfter(limit);
            }
            if (key instanceof SearchKey.Size size) {
                return size.larger() ? row.sizeBytes() > size.bytes() : row.sizeBytes() < size.bytes();
            }
            if (key instanceof SearchKey.ModSeq modSeq) {
                return row.modSeq() >= modSeq.min();
            }
            if (key instanceof SearchKey.ObjectId id) {
                String blobId = blobIdOf(id);
                return blobId != null && blobId.equals(row.blobId());
            }
            if (key instanceof SearchKey.Header header) {
                return matchesHeader(header.field(), header.value() == null ? "" : header.value());
            }
            if (key instanceof SearchKey.Text text) {
                String needle = text.value() == null ? "" : text.value();
                try {
                    MessageTextScanner scanner = new MessageTextScanner(blobs.pathOf(row.blobId()));
                    return text.bodyOnly() ? scanner.bodyContains(structure(), needle)
                            : scanner.textContains(structure(), needle);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read message " + row.uid(), e);
                }
            }
            throw new IllegalArgumentException("unknown search key " + key);
        }

        private ImapFlags flags() {
            if (flags == null) {
                flags = ImapFlags.of(row);
            }
            return flags;
        }

        private BodyPart structure() {
            if (!structureRead) {
                structure = CachedStructure.bodyStructure(row.bodyStructure());
                structureRead = true;
            }
            return structure;
        }

        private boolean matchesDate(SearchKey.Date date) {
            LocalDate day = switch (date.field()) {
                case INTERNAL -> LocalDate.ofInstant(row.internalDate(), ZoneOffset.UTC);
                case SAVED -> LocalDate.ofInstant(row.savedDate(), ZoneOffset.UTC);
                case SENT -> {
                    LocalDate sent = sentDate(row.dateHeader());
                    yield sent != null ? sent : LocalDate.ofInstant(row.internalDate(), ZoneOffset.UTC);
                }
            };
            return switch (date.comparison()) {
                case BEFORE -> day.isBefore(date.date());
                case ON -> day.isEqual(date.date());
                case SINCE -> !day.isBefore(date.date());
            };
        }

        private boolean matchesHeader(String field, String value) {
            String name = field.toLowerCase(Locale.ROOT);
            String needle = value.toLowerCase(Locale.ROOT);
            if (ENVELOPE_FIELDS.contains(name)) {
                String raw = name.equals("subject") && row.subject() != null ? row.subject()
                        : CachedStructure.envelopeField(row.envelope(), name);
                if (raw == null) {
                    return false;
                }
                return MessageTextScanner.decodeWords(raw).toLowerCase(Locale.ROOT).contains(needle);
            }
            try {
                return new MessageTextScanner(blobs.pathOf(row.blobId())).headerContains(field, value);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read message " + row.uid(), e);
            }
        }
    }

    private static final Pattern DATE = Pattern.compile(
            "(?:^|[\\s,])(\\d{1,2})\\s+([A-Za-z]{3})[A-Za-z]*\\.?\\s+(\\d{2,4})(?:\\s|$)");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
            "sep", "oct", "nov", "dec");

    /** The date as written in an RFC 5322 Date header (time and zone disregarded), or null. */
    static LocalDate sentDate(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = DATE.matcher(header.replaceAll("\\([^)]*\\)", " "));
        if (!m.find()) {
            return null;
        }
        int month = MONTHS.indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        if (month == 0) {
            return null;
        }
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) {
            year += year < 50 ? 2000 : 1900; // RFC 5322 section 4.3
        } else if (m.group(3).length() == 3) {
            year += 1900;
        }
        try {
            return LocalDate.of(year, month, Integer.parseInt(m.group(1)));
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }
}
