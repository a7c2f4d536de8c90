package org.merpati.connector.api.access;

import java.time.LocalDate;
import java.util.List;

/**
 * A SEARCH criterion tree (RFC 9051 section 6.4.4) after the connector resolved what only it knows: message
 * sequence numbers, {@code *} and {@code $} become {@link Uids}; \Recent-based keys become {@link All} or
 * {@link Not}. String matches are case-insensitive substring matches on decoded text.
 */
public sealed interface SearchKey extends java.io.Serializable {

    /** Matches every message. */
    record All() implements SearchKey {
    }

    /** All of the keys. */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }

    /** Either key. */
    record Or(SearchKey left, SearchKey right) implements SearchKey {
    }

    /** Not the key. */
    record Not(SearchKey key) implements SearchKey {
    }

    /** UIDs in the inclusive ranges {@code ranges[i][0]..ranges[i][1]}. */
    record Uids(long[][] ranges) implements SearchKey {
    }

    /** A system flag ({@code \Seen}) or keyword is set ({@code set}) or not. */
    record Flag(String flag, boolean set) implements SearchKey {
    }

    /**
     * A header field contains the string; an empty string matches any message that has the field. FROM, TO,
     * CC, BCC and SUBJECT arrive as Header keys with that field name.
     */
    record Header(String field, String value) implements SearchKey {
    }

    /** The body ({@code bodyOnly}) or the whole message (header and body, TEXT) contains the string. */
    record Text(boolean bodyOnly, String value) implements SearchKey {
    }

    /** Which date a {@link Date} key compares. */
    enum DateField { INTERNAL, SENT, SAVED }

    /** How a {@link Date} key compares (dates without time, in the date's own zone for SENT). */
    enum DateComparison { BEFORE, ON, SINCE }

    /** BEFORE/ON/SINCE, SENTBEFORE/SENTON/SENTSINCE, SAVEDBEFORE/SAVEDON/SAVEDSINCE. */
    record Date(DateField field, DateComparison comparison, LocalDate date) implements SearchKey {
    }

    /** OLDER/YOUNGER (RFC 5032): internal date more ({@code older}) or less than the given seconds ago. */
    record Age(boolean older, long seconds) implements SearchKey {
    }

    /** LARGER ({@code larger}) or SMALLER than the given size. */
    record Size(boolean larger, long bytes) implements SearchKey {
    }

    /** MODSEQ at least the given value (RFC 7162). */
    record ModSeq(long min) implements SearchKey {
    }

    /** EMAILID or THREADID (RFC 8474). */
    record ObjectId(boolean thread, String id) implements SearchKey {
    }
}
