package org.merpati.ejb.storage.jpa;

import java.time.Instant;

/**
 * The columns of one message row that FETCH, SEARCH and change reports read, as a plain value: queries
 * return these instead of entities so that reading many rows fills no persistence context.
 * {@code envelope}, {@code bodyStructure}, {@code subject} and {@code dateHeader} are null when the query
 * did not ask for the cached headers ({@link MailboxRepository#messageRows}).
 */
public record MessageRow(long uid, long modSeq, boolean seen, boolean answered, boolean flagged, boolean deleted,
                         boolean draft, String keywords, Instant internalDate, Instant savedDate, long sizeBytes,
                         String blobId, String subject, String dateHeader, String envelope, String bodyStructure) {

    static final String COLUMNS = "m.uid, m.modSeq, m.seen, m.answered, m.flagged, m.deleted, m.draft, "
            + "m.keywords, m.internalDate, m.savedDate, m.sizeBytes, m.blob.id";
    static final String HEADER_COLUMNS = ", m.subject, m.dateHeader, m.envelope, m.bodyStructure";

    static MessageRow of(Object[] t) {
        boolean headers = t.length > 12;
        return new MessageRow((Long) t[0], (Long) t[1], (Boolean) t[2], (Boolean) t[3], (Boolean) t[4],
                (Boolean) t[5], (Boolean) t[6], (String) t[7], (Instant) t[8], (Instant) t[9], (Long) t[10],
                (String) t[11], headers ? (String) t[12] : null, headers ? (String) t[13] : null,
                headers ? (String) t[14] : null, headers ? (String) t[15] : null);
    }
}
