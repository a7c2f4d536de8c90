package org.merpati.ejb.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailAccessException.Kind;
import org.merpati.ejb.storage.jpa.MessageEntity;
import org.merpati.ejb.storage.jpa.MessageRow;

/**
 * The flags of one message: the five storable system flags as bits (they are columns, so SEARCH is plain
 * SQL) and keywords in the order first set. Keywords compare case-insensitively (RFC 9051 section 2.3.2)
 * and keep the spelling they were first stored with.
 */
public record ImapFlags(int system, List<String> keywords) {

    public static final String SEEN = "\\Seen";
    public static final String ANSWERED = "\\Answered";
    public static final String FLAGGED = "\\Flagged";
    public static final String DELETED = "\\Deleted";
    public static final String DRAFT = "\\Draft";
    /** Keywords one message may carry. */
    public static final int MAX_KEYWORDS = 128;
    /** Length of one keyword. */
    public static final int MAX_KEYWORD_LENGTH = 250;

    private static final String[] SYSTEM = {SEEN, ANSWERED, FLAGGED, DELETED, DRAFT};
    public static final ImapFlags NONE = new ImapFlags(0, List.of());

    public ImapFlags {
        keywords = List.copyOf(keywords);
    }

    /** Validates flags a client sent (STORE, APPEND): \Recent and unknown system flags are refused. */
    public static ImapFlags parse(Collection<String> flags) throws MailAccessException {
        int system = 0;
        List<String> keywords = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        if (flags == null) {
            return NONE;
        }
        for (String flag : flags) {
            if (flag == null || flag.isEmpty()) {
                throw new MailAccessException(Kind.INVALID, "Empty flag");
            }
            if (flag.charAt(0) == '\\') {
                int bit = systemBit(flag);
                if (bit < 0) {
                    throw new MailAccessException(Kind.INVALID, "Cannot store flag " + flag);
                }
                system |= bit;
                continue;
            }
            if (!isAtom(flag) || flag.length() > MAX_KEYWORD_LENGTH) {
                throw new MailAccessException(Kind.INVALID, "Invalid keyword");
            }
            if (seen.add(flag.toLowerCase(Locale.ROOT))) {
                keywords.add(flag);
            }
        }
        if (keywords.size() > MAX_KEYWORDS) {
            throw new MailAccessException(Kind.LIMIT, "Too many keywords");
        }
        return new ImapFlags(system, keywords);
    }

    public static ImapFlags of(MessageEntity m) {
        return of(m.isSeen(), m.isAnswered(), m.isFlagged(), m.isDeleted(), m.isDraft(), m.getKeywords());
    }

    public static ImapFlags of(MessageRow m) {
        return of(m.seen(), m.answered(), m.flagged(), m.deleted(), m.draft(), m.keywords());
    }

    static ImapFlags of(boolean seen, boolean answered, boolean flagged, boolean deleted, boolean draft,
                        String keywordColumn) {
        int system = (seen ? 1 : 0) | (answered ? 2 : 0) | (flagged ? 4 : 0) | (deleted ? 8 : 0) | (draft ? 16 : 0);
        return new ImapFlags(system, splitKeywords(keywordColumn));
    }

    public static List<String> splitKeywords(String column) {
        if (column == null || column.isBlank()) {
            return List.of();
        }
        return List.of(column.trim().split(" +"));
    }

    /** The bit of a system flag (any case), or -1 when it is not one of the five storable ones. */
    static int systemBit(String flag) {
        for (int i = 0; i < SYSTEM.length; i++) {
            if (SYSTEM[i].equalsIgnoreCase(flag)) {
                return 1 << i;
            }
        }
        return -1;
    }

    /** RFC 9051 atom: no atom-specials ( ) { SP CTL % * " \ ] and no 8-bit characters. */
    static boolean isAtom(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    public boolean has(int bit) {
        return (system & bit) != 0;
    }

    public boolean seen() {
        return has(1);
    }

    public boolean answered() {
        return has(2);
    }

    public boolean flagged() {
        return has(4);
    }

    public boolean deleted() {
        return has(8);
    }

    public boolean draft() {
        return has(16);
    }

    /** Whether the system flag or keyword (any case) is set. */
    public boolean contains(String flag) {
        if (flag.startsWith("\\")) {
            int bit = systemBit(flag);
            return bit > 0 && has(bit);
        }
        return keywords.stream().anyMatch(k -> k.equalsIgnoreCase(flag));
    }

    /** The flags after STORE with {@code operation} and {@code given}. */
    public ImapFlags apply(FlagOperation operation, ImapFlags given) {
        return switch (operation) {
            case REPLACE -> given;
            case ADD -> {
                List<String> merged = new ArrayList<>(keywords);
                for (String k : given.keywords) {
                    if (merged.stream().noneMatch(e -> e.equalsIgnoreCase(k))) {
                        merged.add(k);
                    }
                }
                yield new ImapFlags(system | given.system, merged);
            }
            case REMOVE -> new ImapFlags(system & ~given.system, keywords.stream()
                    .filter(k -> given.keywords.stream().noneMatch(g -> g.equalsIgnoreCase(k))).toList());
        };
    }

    /** Same flags, keywords compared case-insensitively and regardless of order. */
    public boolean sameAs(ImapFlags other) {
        if (system != other.system || keywords.size() != other.keywords.size()) {
            return false;
        }
        return keywords.stream().allMatch(k -> other.keywords.stream().anyMatch(o -> o.equalsIgnoreCase(k)));
    }

    /** The keywords column: space-separated, null when there are none. */
    public String keywordColumn() {
        return keywords.isEmpty() ? null : String.join(" ", keywords);
    }

    /** As IMAP strings: system flags first, then keywords. */
    public Set<String> toImap() {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < SYSTEM.length; i++) {
            if (has(1 << i)) {
                out.add(SYSTEM[i]);
            }
        }
        out.addAll(keywords);
        return out;
    }

    /** Writes the flags into the row with the MODSEQ of the change. */
    public void writeTo(MessageEntity m, long modSeq) {
        m.setFlags(seen(), answered(), flagged(), deleted(), draft(), keywordColumn(), modSeq);
    }
}
