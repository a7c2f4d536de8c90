package org.merpati.ejb.outbound;

import java.time.Instant;
import org.merpati.ejb.storage.jpa.OutboundMessageEntity;

/** A queued message's envelope as an attempt sees it (a snapshot of its row, safe to use outside a transaction). */
public record QueuedMessage(long id, String blobId, String reversePath, String bodyType, boolean smtpUtf8,
                            String dsnRet, String dsnEnvId, long size, Instant createdAt, Instant expiresAt) {

    public static QueuedMessage of(OutboundMessageEntity m) {
        return new QueuedMessage(m.getId(), m.getBlobId(), m.getReversePath(), m.getBodyType(), m.isSmtpUtf8(),
                m.getDsnRet(), m.getDsnEnvId(), m.getSizeBytes(), m.getCreatedAt(), m.getExpiresAt());
    }

    public boolean isNullSender() {
        return reversePath == null || reversePath.isEmpty();
    }
}
