package org.merpati.ejb.api;

import java.time.Instant;
import java.util.List;

/**
 * A message in the outbound queue, for administrators.
 *
 * @param sender  MAIL FROM; empty for the null sender (a DSN)
 */
public record QueuedMessageView(long id, String sender, long size, Instant created, Instant expires,
                                List<QueuedRecipientView> recipients) {

    public QueuedMessageView {
        recipients = List.copyOf(recipients);
    }
}
