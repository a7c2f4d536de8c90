package org.merpati.connector.api.access;

import java.util.Set;

/**
 * Flags of one message after a change. System flags are spelt as in IMAP ({@code \Seen}, {@code \Answered},
 * {@code \Flagged}, {@code \Deleted}, {@code \Draft}); keywords as atoms ({@code $Forwarded}, {@code Work}).
 */
public record MessageFlags(long uid, long modseq, Set<String> flags) implements java.io.Serializable {

    public MessageFlags {
        flags = Set.copyOf(flags);
    }
}
