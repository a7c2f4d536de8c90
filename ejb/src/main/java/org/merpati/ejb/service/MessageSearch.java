package org.merpati.ejb.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.merpati.connector.api.access.BodyPart;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.ejb.mime.CachedStructure;
import org.merpati.ejb.mime.MessageTextScanner;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.MailboxEntity;
import org.merpati.ejb.storage.jpa.MailboxRepository;
import org.merpati.ejb.storage.jpa.MessageRow;
import org.merpati.ejb.storage.jpa.UidRanges;

/**
 * Evaluates a SEARCH key tree. What SQL can answer (UIDs, system flags, internal and saved dates, age,
 * size, MODSEQ, EMAILID) becomes a JPQL condition; when the whole tree is of that kind the database's
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

    private final MailboxRepository mailboxes;
    private final BlobStore blobs;
    private final Instant now;
    private final BiFunction<Long, SearchKey, SearchKey> index;
    /** UID sets of the keys under evaluation, for membership tests by binary search. */
    private final Map<SearchKey.Uids, UidRanges> uidSets = new IdentityHashMap<>();

    public MessageSearch(MailboxRepository mailboxes, BlobStore blobs, Instant now) {
        this(mailboxes, blobs, now, (mailboxId, key) -> key);
    }

    /**
     * @param index rewrites a key for a mailbox id into an equivalent one narrowed by a full-text index
     *              (identity when there is none)
     */
    public MessageSearch(MailboxRepository mailboxes, BlobStore blobs, Instant now,
                         BiFunction<Long, SearchKey, SearchKey> index) {
        this.mailboxes = mailboxes;
        this.blobs = blobs;
        this.now = now;
        this.index = index;
    }

    /** UIDs of the mailbox's messages matching the key, ascending. */
    public long[] search(MailboxEntity mailbox, SearchKey original) {
        SearchKey key = index.apply(mailbox.getId(), original);
        Map<String, Object> parameters = new HashMap<>();
        Sql sql = toSql(key, parameters);
        boolean needHeaders = cost(key) >= COST_ENVELOPE;
        try (Stream<MessageRow> rows = mailboxes.streamRows(mailbox, sql.condition, parameters, needHeaders,
                FETCH_SIZE)) {
            LongStream uids = sql.exact
                    ? rows.mapToLong(MessageRow::uid)
                    : rows.filter(row -> new Candidate(row).matches(key)).mapToLong(MessageRow::uid);
            return uids.toArray();
        }
    }

    // ---- SQL ----

    /**
     * A JPQL condition on alias {@code m}: null means no restriction. When {@code exact}, it matches exactly
     * what the key matches; otherwise it matches a superset.
     */
    record Sql(String condition, boolean exact) {
        static final Sql TRUE_EXACT = new Sql(null, true);
        static final Sql TRUE_SUPERSET = new Sql(null, false);
        static final Sql FALSE = new Sql("1 = 0", true);
    }

    Sql toSql(SearchKey key, Map<String, Object> p) {
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
            return new Sql(parts.isEmpty() ? null : String.join(" and ", parts), exact);
        }
        if (key instanceof SearchKey.Or or) {
            Sql l = toSql(or.left(), p);
            Sql r = toSql(or.right(), p);
            boolean exact = l.exact && r.exact;
            if (l.condition == null || r.condition == null) {
                return exact ? Sql.TRUE_EXACT : Sql.TRUE_SUPERSET; // either side may match anything
            }
            return new Sql("(" + l.condition + ") or (" + r.condition + ")", exact);
        }
        if (key instanceof SearchKey.Not not) {
            Sql s = toSql(not.key(), p);
            if (!s.exact) {
                return Sql.TRUE_SUPERSET; // the complement of a superset says nothing
            }
            return s.condition == null ? Sql.FALSE : new Sql("not (" + s.condition + ")", true);
        }
        if (key instanceof SearchKey.Uids uids) {
            UidRanges ranges = UidRanges.ofRanges(uids.ranges());
            if (ranges.isEmpty()) {
                return Sql.FALSE;
            }
            if (ranges.size() <= UidRanges.RANGES_PER_QUERY) {
                String prefix = param(p, "u");
                ranges.bind(p::put, prefix);
                return new Sql(ranges.condition("m", prefix), true);
            }
            String lo = bind(p, ranges.min());
            String hi = bind(p, ranges.max());
            return new Sql("m.uid between :" + lo + " and :" + hi, false);
        }
        if (key instanceof SearchKey.Flag flag) {
            String column = flagColumn(flag.flag());
            if (column == null) {
                return flag.flag().startsWith("\\") ? (flag.set() ? Sql.FALSE : Sql.TRUE_EXACT) : Sql.TRUE_SUPERSET;
            }
            return new Sql("m." + column + " = " + (flag.set() ? "true" : "false"), true);
        }
        if (key instanceof SearchKey.Date date && date.field() != SearchKey.DateField.SENT) {
            String column = date.field() == SearchKey.DateField.INTERNAL ? "m.internalDate" : "m.savedDate";
            Instant start = date.date().atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = start.plus(1, ChronoUnit.DAYS);
            return switch (date.comparison()) {
                case BEFORE -> new Sql(column + " < :" + bind(p, start), true);
                case SINCE -> new Sql(column + " >= :" + bind(p, start), true);
                case ON -> new Sql(column + " >= :" + bind(p, start) + " and " + column + " < :" + bind(p, end), true);
            };
        }
        if (key instanceof SearchKey.Age age) {
            Instant limit = now.minusSeconds(age.seconds());
            return new Sql("m.internalDate " + (age.older() ? "<= :" : "> :") + bind(p, limit), true);
        }
        if (key instanceof SearchKey.Size size) {
            return new Sql("m.sizeBytes " + (size.larger() ? "> :" : "< :") + bind(p, size.bytes()), true);
        }
        if (key instanceof SearchKey.ModSeq modSeq) {
            return new Sql("m.modSeq >= :" + bind(p, modSeq.min()), true);
        }
        if (key instanceof SearchKey.ObjectId id) {
            String blobId = blobIdOf(id);
            return blobId == null ? Sql.FALSE : new Sql("m.blob.id = :" + bind(p, blobId), true);
        }
        return Sql.TRUE_SUPERSET; // Header, Text, SENT dates: Java only
    }

    private static String param(Map<String, Object> p, String prefix) {
        return prefix + p.size() + "_";
    }

    private static String bind(Map<String, Object> p, Object value) {
        String name = "p" + p.size();
        p.put(name, value);
        return name;
    }

    private static String flagColumn(String flag) {
        return switch (flag.toLowerCase(Locale.ROOT)) {
            case "\\seen" -> "seen";
            case "\\answered" -> "answered";
            case "\\flagged" -> "flagged";
            case "\\deleted" -> "deleted";
            case "\\draft" -> "draft";
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
