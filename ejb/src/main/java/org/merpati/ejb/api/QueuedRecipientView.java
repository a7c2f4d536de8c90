package org.merpati.ejb.api;

import java.time.Instant;

/**
 * One recipient of a queued message.
 *
 * @param state       QUEUED (waiting for {@code nextAttempt}), SENDING (an attempt is running; {@code nextAttempt}
 *                    is when it is presumed dead), or a final state
 * @param lastStatus  RFC 3463 code of the last attempt, or null before the first
 * @param lastError   the last remote reply or local error, or null
 */
public record QueuedRecipientView(String address, String state, int attempts, Instant nextAttempt,
                                  Instant lastAttempt, String lastStatus, String lastError) {
}
