package org.merpati.ejb.outbound;

import org.merpati.connector.api.Recipient;
import org.merpati.ejb.storage.jpa.OutboundRecipientEntity;

/**
 * A pending recipient as an attempt claimed it.
 *
 * @param attempts   attempts so far, this one included
 * @param generation the generation the claim gave it (what recording the outcome expects)
 */
public record QueuedRecipient(long id, String address, String domain, String dsnNotify, String dsnOrcpt,
                              int attempts, boolean delayNotified, long generation) {

    public static QueuedRecipient of(OutboundRecipientEntity r) {
        return new QueuedRecipient(r.getId(), r.getAddress(), r.getDomain(), r.getDsnNotify(), r.getDsnOrcpt(),
                r.getAttempts(), r.isDelayNotified(), r.getGeneration());
    }

    public Recipient toRecipient() {
        return new Recipient(address, dsnNotify, dsnOrcpt);
    }
}
