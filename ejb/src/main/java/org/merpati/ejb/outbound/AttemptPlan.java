package org.merpati.ejb.outbound;

import java.time.Instant;
import java.util.List;
import org.merpati.ejb.outbound.dsn.DsnRecipient;
import org.merpati.ejb.storage.jpa.OutboundRecipientEntity.State;

/**
 * What to record after an attempt (or an administrator's action): one update per recipient, whether and when
 * to try again, and the recipients the one DSN of this batch reports on (none: no DSN).
 *
 * @param nextAttempt when the recipients left QUEUED are due (one trigger, delayed until then), or null
 */
public record AttemptPlan(List<Update> updates, Instant nextAttempt, List<DsnRecipient> dsn) {

    public AttemptPlan {
        updates = List.copyOf(updates);
        dsn = List.copyOf(dsn);
    }

    /**
     * One recipient's new row values. Written only if the row is still as claimed ({@code claimedGeneration});
     * {@code newGeneration} is what the next trigger carries.
     */
    public record Update(long recipientId, String address, long claimedGeneration, State state, long newGeneration,
                         Instant nextAttemptAt, String status, String error, String remoteMta,
                         boolean delayNotified) {
    }

    /** The generation the rescheduled recipients carry (they were claimed together, so it is one value). */
    public long nextGeneration() {
        return updates.stream().filter(u -> u.state() == State.QUEUED).mapToLong(Update::newGeneration)
                .findFirst().orElseThrow();
    }
}
