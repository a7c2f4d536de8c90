package org.merpati.ejb.api;

import jakarta.ejb.Local;
import java.util.List;

/**
 * Administration of the outbound queue. Failures are {@link org.merpati.ejb.domain.MailException}s (NOT_FOUND
 * for an unknown or already finished message id).
 */
@Local
public interface QueueAdmin {

    /** Queued messages, oldest first, with every recipient's state. */
    List<QueuedMessageView> list(int offset, int limit);

    /**
     * Makes every recipient waiting for a retry due now (recipients in the middle of an attempt are left to it).
     *
     * @return the number of recipients made due
     */
    int retry(long messageId);

    /**
     * Makes every waiting recipient of every queued message due now (at most 10,000 messages per call).
     *
     * @return the number of messages triggered
     */
    int flush();

    /** Removes the message from the queue without telling the sender. */
    void delete(long messageId);

    /**
     * Fails every pending recipient with 5.0.0 "deleted by the administrator" and sends the sender one failure
     * DSN (as NOTIFY allows; never to the null sender).
     *
     * @return the number of recipients failed
     */
    int bounce(long messageId);
}
