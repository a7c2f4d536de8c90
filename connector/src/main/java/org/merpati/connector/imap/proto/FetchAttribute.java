package org.merpati.connector.imap.proto;

import java.util.List;

/** One item of a FETCH (RFC 9051 section 6.4.5, RFC 7162 MODSEQ, RFC 8474 EMAILID/THREADID, RFC 8514 SAVEDATE). */
public sealed interface FetchAttribute {

    /** Items without arguments. */
    enum Simple implements FetchAttribute {
        FLAGS, UID, INTERNALDATE, RFC822_SIZE, ENVELOPE, BODY, BODYSTRUCTURE, MODSEQ, EMAILID, THREADID, SAVEDATE,
        RFC822, RFC822_HEADER, RFC822_TEXT;

        /** The name used on the wire. */
        public String wireName() {
            return name().replace('_', '.');
        }
    }

    /** {@code <offset.length>}. */
    record Partial(long offset, long length) {
    }

    /** BODY[section]&lt;partial&gt; or BODY.PEEK[...]. */
    record Section(boolean peek, BodySection section, Partial partial) implements FetchAttribute {
    }

    /** BINARY[part]&lt;partial&gt; or BINARY.PEEK (RFC 3516). */
    record Binary(boolean peek, List<Integer> path, Partial partial) implements FetchAttribute {
        public Binary {
            path = List.copyOf(path);
        }
    }

    /** BINARY.SIZE[part]. */
    record BinarySize(List<Integer> path) implements FetchAttribute {
        public BinarySize {
            path = List.copyOf(path);
        }
    }

    /** Whether fetching this sets \Seen (in a read-write mailbox). */
    static boolean setsSeen(FetchAttribute a) {
        return a == Simple.RFC822 || a == Simple.RFC822_TEXT
            || (a instanceof Section s && !s.peek()) || (a instanceof Binary b && !b.peek());
    }

    /** Whether this item needs the message's envelope or MIME structure. */
    static boolean needsStructure(FetchAttribute a) {
        return a == Simple.ENVELOPE || a == Simple.BODY || a == Simple.BODYSTRUCTURE || a == Simple.RFC822_HEADER
            || a == Simple.RFC822_TEXT || a instanceof Section || a instanceof Binary || a instanceof BinarySize;
    }
}
