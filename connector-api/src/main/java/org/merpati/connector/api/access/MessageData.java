package org.merpati.connector.api.access;

import java.time.Instant;
import java.util.Set;

/**
 * Metadata of one message for FETCH, RETR and LIST. The body is not here: {@code blobPath} names the stored
 * message file, which the connector streams (and seeks in with the offsets of {@link BodyPart}); it is never
 * loaded whole. The stored message is what IMAP calls BODY[] (trace headers included); {@code size} is its
 * length in bytes.
 *
 * @param uid          UID
 * @param modseq       MODSEQ (RFC 7162)
 * @param flags        system flags and keywords
 * @param internalDate INTERNALDATE
 * @param savedDate    SAVEDATE (RFC 8514)
 * @param size         RFC822.SIZE
 * @param emailId      EMAILID (RFC 8474): same for copies of the same content
 * @param threadId     THREADID (RFC 8474), or null when not threaded
 * @param blobPath     absolute path of the stored message file
 * @param envelope     the ENVELOPE, or null when structure was not asked for
 * @param structure    the MIME tree, or null when structure was not asked for
 */
public record MessageData(long uid, long modseq, Set<String> flags, Instant internalDate, Instant savedDate,
                          long size, String emailId, String threadId, String blobPath, MessageEnvelope envelope,
                          BodyPart structure) implements java.io.Serializable {

    public MessageData {
        flags = Set.copyOf(flags);
    }
}
