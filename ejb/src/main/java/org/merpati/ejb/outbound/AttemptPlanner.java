package org.merpati.ejb.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.merpati.ejb.outbound.RecipientOutcome.Status;
import org.merpati.ejb.outbound.dsn.DsnNotify;
import org.merpati.ejb.outbound.dsn.DsnRecipient;
import org.merpati.ejb.outbound.dsn.DsnRecipient.Action;
import org.merpati.ejb.storage.jpa.OutboundRecipientEntity.State;

/**
 * The decisions after an attempt, without a container: per recipient the new state, when to retry, and what the
 * sender is told.
 *
 * <ul>
 * <li>DELIVERED → final; a success DSN ({@code relayed}: we cannot tell whether the peer passes DSNs on) when
 *     NOTIFY has SUCCESS.</li>
 * <li>PERMANENT → FAILED; a failure DSN unless NOTIFY lacks FAILURE (NEVER, or e.g. only SUCCESS).</li>
 * <li>TEMPORARY before the message's expiry → QUEUED again after the schedule's delay (never later than the
 *     expiry, so the last attempt happens at it); once, when the message is older than the delay-warning age
 *     and NOTIFY has DELAY or is absent, a delay DSN.</li>
 * <li>TEMPORARY at or after expiry → EXPIRED and a failure DSN (status 4.4.7, the last error as diagnostic).</li>
 * </ul>
 * A null reverse path never gets a DSN. All DSN recipients of one attempt go into one report.
 */
public final class AttemptPlanner {

    /** An attempt this close to the expiry is the last one: its trigger may fire a little early. */
    static final Duration EXPIRY_SLACK = Duration.ofMinutes(1);
    static final String ADMIN_BOUNCE_STATUS = "5.0.0";
    static final String ADMIN_BOUNCE_TEXT = "Message deleted from the queue by the administrator";

    private final RetrySchedule schedule;
    private final Duration delayWarning;

    public AttemptPlanner(RetrySchedule schedule, Duration delayWarning) {
        this.schedule = schedule;
        this.delayWarning = delayWarning;
    }

    public AttemptPlanner(OutboundSettings settings) {
        this(settings.retrySchedule(), settings.delayWarning());
    }

    /**
     * @param claimed  the recipients of the attempt, in the order they were given to {@link RemoteDelivery}
     * @param outcomes its result; matched by position (and checked by address). A recipient without an outcome
     *                 counts as a temporary failure
     */
    public AttemptPlan afterAttempt(QueuedMessage message, List<QueuedRecipient> claimed,
                                    List<RecipientOutcome> outcomes, Instant now) {
        List<AttemptPlan.Update> updates = new ArrayList<>(claimed.size());
        List<DsnRecipient> dsn = new ArrayList<>();
        Instant nextAttempt = null;
        boolean expired = !now.plus(EXPIRY_SLACK).isBefore(message.expiresAt());
        for (int i = 0; i < claimed.size(); i++) {
            QueuedRecipient r = claimed.get(i);
            RecipientOutcome o = outcomeFor(r, i, outcomes);
            DsnNotify notify = DsnNotify.parse(r.dsnNotify());
            long newGeneration = r.generation() + 1;
            String status = o.enhancedStatus();
            switch (o.status()) {
                case DELIVERED -> {
                    updates.add(update(r, State.DELIVERED, newGeneration, now, o, r.delayNotified()));
                    if (notify.success()) {
                        dsn.add(dsnEntry(r, Action.RELAYED, orDefault(status, "2.0.0"), o, now, null));
                    }
                }
                case PERMANENT -> {
                    updates.add(update(r, State.FAILED, newGeneration, now, o, r.delayNotified()));
                    if (notify.failure()) {
                        dsn.add(dsnEntry(r, Action.FAILED, permanent(status), o, now, null));
                    }
                }
                case TEMPORARY -> {
                    if (expired) {
                        updates.add(update(r, State.EXPIRED, newGeneration, now, o, r.delayNotified()));
                        if (notify.failure()) {
                            dsn.add(dsnEntry(r, Action.FAILED, "4.4.7", o, now, null));
                        }
                    } else {
                        Instant next = now.plus(schedule.delayAfter(r.attempts()));
                        if (next.isAfter(message.expiresAt())) {
                            next = message.expiresAt();
                        }
                        boolean warn = !r.delayNotified() && notify.delay() && !delayWarning.isZero()
                                && !Duration.between(message.createdAt(), now).minus(delayWarning).isNegative();
                        updates.add(update(r, State.QUEUED, newGeneration, next, o, r.delayNotified() || warn));
                        if (warn) {
                            dsn.add(dsnEntry(r, Action.DELAYED, temporary(status), o, now, message.expiresAt()));
                        }
                        nextAttempt = nextAttempt == null || next.isBefore(nextAttempt) ? next : nextAttempt;
                    }
                }
            }
        }
        return new AttemptPlan(updates, nextAttempt, message.isNullSender() ? List.of() : dsn);
    }

    /**
     * An administrator's bounce: every pending recipient FAILED with 5.0.0, and a failure DSN for those whose
     * NOTIFY allows it.
     */
    public AttemptPlan bounce(QueuedMessage message, List<QueuedRecipient> pending, Instant now) {
        List<AttemptPlan.Update> updates = new ArrayList<>(pending.size());
        List<DsnRecipient> dsn = new ArrayList<>();
        for (QueuedRecipient r : pending) {
            updates.add(new AttemptPlan.Update(r.id(), r.address(), r.generation(), State.FAILED, r.generation() + 1,
                    now, ADMIN_BOUNCE_STATUS, ADMIN_BOUNCE_TEXT, null, r.delayNotified()));
            if (DsnNotify.parse(r.dsnNotify()).failure()) {
                dsn.add(new DsnRecipient(r.address(), r.dsnOrcpt(), Action.FAILED, ADMIN_BOUNCE_STATUS,
                        ADMIN_BOUNCE_TEXT, false, null, null, null));
            }
        }
        return new AttemptPlan(updates, null, message.isNullSender() ? List.of() : dsn);
    }

    private static RecipientOutcome outcomeFor(QueuedRecipient r, int index, List<RecipientOutcome> outcomes) {
        if (index < outcomes.size() && outcomes.get(index) != null
                && outcomes.get(index).recipient().address().equalsIgnoreCase(r.address())) {
            return outcomes.get(index);
        }
        for (RecipientOutcome o : outcomes) {
            if (o != null && o.recipient().address().equalsIgnoreCase(r.address())) {
                return o;
            }
        }
        return new RecipientOutcome(r.toRecipient(), Status.TEMPORARY, "4.3.0",
                "No result was reported for this recipient", false, null);
    }

    private static AttemptPlan.Update update(QueuedRecipient r, State state, long newGeneration, Instant next,
                                             RecipientOutcome o, boolean delayNotified) {
        return new AttemptPlan.Update(r.id(), r.address(), r.generation(), state, newGeneration, next,
                o.enhancedStatus(), o.diagnostic(), o.remoteMta(), delayNotified);
    }

    private static DsnRecipient dsnEntry(QueuedRecipient r, Action action, String status, RecipientOutcome o,
                                         Instant now, Instant willRetryUntil) {
        return new DsnRecipient(r.address(), r.dsnOrcpt(), action, status, o.diagnostic(), o.smtpReply(),
                o.remoteMta(), now, willRetryUntil);
    }

    private static String orDefault(String status, String fallback) {
        return status == null || status.isBlank() ? fallback : status;
    }

    /** A failure's status must be 5.x.x; a remote 4xx reported as permanent (or nothing) becomes 5.0.0. */
    private static String permanent(String status) {
        return status != null && status.startsWith("5.") ? status : "5.0.0";
    }

    private static String temporary(String status) {
        return status != null && status.startsWith("4.") ? status : "4.0.0";
    }
}
