package org.merpati.connector.api.access;

import java.util.Set;

/**
 * What SELECT or EXAMINE returns: the counters, every UID in ascending order (the connector keeps the
 * sequence number map), the keywords in use, and the lowest UID without {@code \Seen} (0 when all are seen).
 */
public record MailboxSnapshot(MailboxStatus status, long[] uids, Set<String> keywordsInUse, long firstUnseenUid,
                              boolean readOnly) implements java.io.Serializable {

    public MailboxSnapshot {
        keywordsInUse = Set.copyOf(keywordsInUse);
    }
}
