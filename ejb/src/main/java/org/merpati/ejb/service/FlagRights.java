package org.merpati.ejb.service;

import java.util.List;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailboxRights;

/**
 * Which flags a user's rights let them set or clear (RFC 4314 section 4): {@code \Seen} needs {@code s},
 * {@code \Deleted} needs {@code t}, every other flag and keyword needs {@code w}. Flags without the right are
 * left as they are rather than refused (STORE, APPEND, COPY must not fail for them).
 */
final class FlagRights {

    private static final int SEEN = 1;
    private static final int DELETED = 8;
    private static final int OTHERS = 2 | 4 | 16;

    private FlagRights() {
    }

    private static int mask(MailboxRights rights) {
        return (rights.has('s') ? SEEN : 0) | (rights.has('t') ? DELETED : 0) | (rights.has('w') ? OTHERS : 0);
    }

    /** {@code wanted}, except that every flag the user may not change keeps its value from {@code current}. */
    static ImapFlags limit(ImapFlags current, ImapFlags wanted, MailboxRights rights) {
        int mask = mask(rights);
        if (mask == (SEEN | DELETED | OTHERS)) {
            return wanted;
        }
        int system = (wanted.system() & mask) | (current.system() & ~mask);
        List<String> keywords = rights.has('w') ? wanted.keywords() : current.keywords();
        return new ImapFlags(system, keywords);
    }

    /**
     * Whether a STORE can change anything the user may change: FLAGS needs one of the three rights, +FLAGS and
     * -FLAGS one of the given flags the user may change. (RFC 4314: STORE should not fail when at least one is.)
     */
    static boolean mayChangeAny(FlagOperation operation, ImapFlags given, MailboxRights rights) {
        int mask = mask(rights);
        if (operation == FlagOperation.REPLACE) {
            return mask != 0;
        }
        return (given.system() & mask) != 0 || (rights.has('w') && !given.keywords().isEmpty());
    }
}
