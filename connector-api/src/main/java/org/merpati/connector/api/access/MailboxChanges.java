package org.merpati.connector.api.access;

import java.util.List;

/**
 * What changed in a mailbox after a MODSEQ the session already knows: new messages and flag changes (every
 * message whose MODSEQ is higher, ascending by UID) and expunged UIDs (from the expunge log). The connector
 * tells new messages from flag changes by whether it knows the UID.
 *
 * @param highestModseq the mailbox's HIGHESTMODSEQ now
 * @param uidNext       UIDNEXT now
 * @param changed       messages added or changed after the given MODSEQ
 * @param expunged      UIDs expunged after the given MODSEQ, ascending
 */
public record MailboxChanges(long highestModseq, long uidNext, List<MessageFlags> changed, long[] expunged)
    implements java.io.Serializable {

    public MailboxChanges {
        changed = List.copyOf(changed);
    }
}
