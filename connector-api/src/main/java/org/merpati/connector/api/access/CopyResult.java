package org.merpati.connector.api.access;

/**
 * Result of COPY or MOVE, for the COPYUID response code (RFC 4315): source and target UIDs pair up by index.
 *
 * @param targetMailboxId  the target mailbox
 * @param targetUidValidity UIDVALIDITY of the target mailbox
 * @param sourceUids       the source UIDs that were copied, ascending
 * @param targetUids       the UIDs they got in the target, in the same order
 */
public record CopyResult(long targetMailboxId, long targetUidValidity, long[] sourceUids, long[] targetUids)
    implements java.io.Serializable {
}
