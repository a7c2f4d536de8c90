package org.merpati.ejb.storage.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.merpati.ejb.storage.jpa.OutboundRecipientEntity.State;

/**
 * The outbound queue tables. Every change to a recipient after it is queued is one conditional statement that
 * names the state and generation it expects, so concurrent parties (the delivery MDB on several nodes, the
 * sweeper, an administrator) cannot both act on the same recipient: the second finds nothing to change.
 *
 * <p>Lock order, shared by every writer: the message row ({@link #lockMessage}), then its recipient rows, then
 * the blob row. Claiming touches recipient rows only. Bulk statements bypass the persistence context, so the
 * callers run them in short transactions of their own and read rows afterwards.
 */
public class OutboundRepository {

    /** "Try message M for domain D if its recipients are still at generation G": one JMS trigger's content. */
    public record Trigger(long messageId, String domain, long generation) {
    }

    private static final List<String> PENDING = List.of(State.QUEUED.name(), State.SENDING.name());

    private final EntityManager em;

    public OutboundRepository(EntityManager em) {
        this.em = em;
    }

    public EntityManager entityManager() {
        return em;
    }

    // ---- enqueue ----

    /**
     * Inserts the message row and takes one reference on its blob (inserting the blob row when it is new),
     * within the caller's transaction.
     */
    public OutboundMessageEntity insertMessage(OutboundMessageEntity message) {
        new MailboxRepository(em).addBlobReferences(message.getBlobId(), message.getSizeBytes(),
                message.getCreatedAt(), 1);
        em.persist(message);
        em.flush(); // the id is needed for the recipient rows and the triggers
        return message;
    }

    public OutboundRecipientEntity insertRecipient(OutboundRecipientEntity recipient) {
        em.persist(recipient);
        return recipient;
    }

    // ---- an attempt ----

    public Optional<OutboundMessageEntity> findMessage(long messageId) {
        return Optional.ofNullable(em.find(OutboundMessageEntity.class, messageId));
    }

    /** The message row, locked until the transaction ends; empty when it was deleted meanwhile. */
    public Optional<OutboundMessageEntity> lockMessage(long messageId) {
        return Optional.ofNullable(em.find(OutboundMessageEntity.class, messageId, LockModeType.PESSIMISTIC_WRITE));
    }

    /**
     * Claims the QUEUED recipients of (message, domain) at {@code generation} that are due by {@code dueBy}: they
     * become SENDING at generation + 1, their attempt counter goes up and {@code leaseUntil} is their
     * next_attempt_at (a crashed attempt is taken up again after it). A second claim with the same trigger
     * finds the new generation and claims nothing, so one trigger runs at most one attempt.
     *
     * @return the claimed recipients, in insertion order; empty when the trigger was stale or nothing was due
     */
    public List<OutboundRecipientEntity> claim(Trigger trigger, Instant dueBy, Instant now, Instant leaseUntil) {
        int claimed = em.createQuery("update OutboundRecipientEntity r set r.state = 'SENDING', "
                        + "r.generation = r.generation + 1, r.attempts = r.attempts + 1, r.lastAttemptAt = :now, "
                        + "r.nextAttemptAt = :lease where r.messageId = :m and r.domain = :d and r.state = 'QUEUED' "
                        + "and r.generation = :g and r.nextAttemptAt <= :dueBy")
                .setParameter("now", now).setParameter("lease", leaseUntil).setParameter("m", trigger.messageId())
                .setParameter("d", trigger.domain()).setParameter("g", trigger.generation())
                .setParameter("dueBy", dueBy).executeUpdate();
        if (claimed == 0) {
            return List.of();
        }
        return em.createQuery("select r from OutboundRecipientEntity r where r.messageId = :m and r.domain = :d "
                        + "and r.state = 'SENDING' and r.generation = :g order by r.id", OutboundRecipientEntity.class)
                .setParameter("m", trigger.messageId()).setParameter("d", trigger.domain())
                .setParameter("g", trigger.generation() + 1).getResultList();
    }

    /**
     * Records the result of an attempt for one claimed recipient: only if it is still SENDING at
     * {@code claimedGeneration} (an administrator may have deleted or bounced it meanwhile).
     *
     * @return whether the row was changed
     */
    public boolean recordOutcome(long recipientId, long claimedGeneration, State state, long newGeneration,
                                 Instant nextAttemptAt, String status, String error, String remoteMta,
                                 boolean delayNotified) {
        return em.createQuery("update OutboundRecipientEntity r set r.state = :s, r.generation = :ng, "
                        + "r.nextAttemptAt = :next, r.lastStatus = :status, r.lastError = :error, "
                        + "r.remoteMta = :mta, r.delayNotified = :dn where r.id = :id and r.state = 'SENDING' "
                        + "and r.generation = :g")
                .setParameter("s", state.name()).setParameter("ng", newGeneration).setParameter("next", nextAttemptAt)
                .setParameter("status", clip(status, 16)).setParameter("error", clip(error, 1000))
                .setParameter("mta", clip(remoteMta, 300)).setParameter("dn", delayNotified)
                .setParameter("id", recipientId).setParameter("g", claimedGeneration).executeUpdate() == 1;
    }

    /**
     * When no recipient of the message is pending any more: releases its blob reference and deletes its rows
     * (the history stays in the log). Call with the message row locked.
     *
     * @return whether the message was finished and removed
     */
    public boolean finishIfDone(long messageId) {
        Long pending = em.createQuery("select count(r) from OutboundRecipientEntity r where r.messageId = :m "
                        + "and r.state in :pending", Long.class)
                .setParameter("m", messageId).setParameter("pending", PENDING).getSingleResult();
        if (pending > 0) {
            return false;
        }
        deleteMessage(messageId);
        return true;
    }

    /** Deletes the message and its recipients whatever their state, releasing the blob reference. */
    public boolean deleteMessage(long messageId) {
        OutboundMessageEntity message = em.find(OutboundMessageEntity.class, messageId);
        if (message == null) {
            return false;
        }
        em.createNativeQuery("UPDATE blobs SET ref_count = ref_count - 1, released_at = CASE WHEN ref_count = 1 "
                        + "THEN ?2 ELSE released_at END WHERE id = ?1 AND ref_count > 0")
                .setParameter(1, message.getBlobId()).setParameter(2, Instant.now()).executeUpdate();
        em.createQuery("delete from OutboundRecipientEntity r where r.messageId = :m")
                .setParameter("m", messageId).executeUpdate();
        em.remove(message);
        em.flush();
        return true;
    }

    // ---- the sweeper ----

    /**
     * Groups of pending recipients in {@code state} whose next_attempt_at is before {@code before}: QUEUED ones
     * whose trigger was lost, SENDING ones whose attempt died (lease over).
     */
    public List<Trigger> overdue(State state, Instant before, int limit) {
        List<Object[]> rows = em.createQuery("select distinct r.messageId, r.domain, r.generation "
                        + "from OutboundRecipientEntity r where r.state = :s and r.nextAttemptAt < :before",
                        Object[].class)
                .setParameter("s", state.name()).setParameter("before", before).setMaxResults(limit)
                .getResultList();
        List<Trigger> triggers = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            triggers.add(new Trigger((Long) row[0], (String) row[1], (Long) row[2]));
        }
        return triggers;
    }

    /**
     * Puts the recipients of a group back to QUEUED, due {@code now}, at the next generation, if they are still
     * as {@code stale} saw them in {@code state}.
     *
     * @return the trigger for the new generation, or empty when something else changed them first
     */
    public Optional<Trigger> requeue(Trigger stale, State state, Instant now) {
        int changed = em.createQuery("update OutboundRecipientEntity r set r.state = 'QUEUED', "
                        + "r.generation = r.generation + 1, r.nextAttemptAt = :now where r.messageId = :m "
                        + "and r.domain = :d and r.state = :s and r.generation = :g")
                .setParameter("now", now).setParameter("m", stale.messageId()).setParameter("d", stale.domain())
                .setParameter("s", state.name()).setParameter("g", stale.generation()).executeUpdate();
        return changed == 0 ? Optional.empty()
                : Optional.of(new Trigger(stale.messageId(), stale.domain(), stale.generation() + 1));
    }

    // ---- administration ----

    /** Queued messages, oldest first. */
    public List<OutboundMessageEntity> listMessages(int offset, int limit) {
        return em.createQuery("select m from OutboundMessageEntity m order by m.createdAt, m.id",
                OutboundMessageEntity.class).setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    public long countMessages() {
        return em.createQuery("select count(m) from OutboundMessageEntity m", Long.class).getSingleResult();
    }

    /** The recipients of these messages, by message then insertion order. */
    public List<OutboundRecipientEntity> recipientsOf(Collection<Long> messageIds) {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        return em.createQuery("select r from OutboundRecipientEntity r where r.messageId in :ids "
                + "order by r.messageId, r.id", OutboundRecipientEntity.class)
                .setParameter("ids", messageIds).getResultList();
    }

    public List<OutboundRecipientEntity> pendingRecipients(long messageId) {
        return em.createQuery("select r from OutboundRecipientEntity r where r.messageId = :m "
                        + "and r.state in :pending order by r.id", OutboundRecipientEntity.class)
                .setParameter("m", messageId).setParameter("pending", PENDING).getResultList();
    }

    /**
     * Makes the message's QUEUED recipients due now at the next generation (SENDING ones are being tried
     * already). Call with the message row locked.
     *
     * @return one trigger per domain with recipients made due
     */
    /** Ids of messages with recipients waiting for a retry, oldest first. */
    public List<Long> messagesWaiting(int limit) {
        return em.createQuery("select distinct r.messageId from OutboundRecipientEntity r where r.state = 'QUEUED' "
                + "order by r.messageId", Long.class).setMaxResults(limit).getResultList();
    }

    public List<Trigger> retryNow(long messageId, Instant now) {
        em.createQuery("update OutboundRecipientEntity r set r.generation = r.generation + 1, r.nextAttemptAt = :now "
                        + "where r.messageId = :m and r.state = 'QUEUED'")
                .setParameter("now", now).setParameter("m", messageId).executeUpdate();
        List<Object[]> rows = em.createQuery("select distinct r.domain, r.generation from OutboundRecipientEntity r "
                        + "where r.messageId = :m and r.state = 'QUEUED'", Object[].class)
                .setParameter("m", messageId).getResultList();
        List<Trigger> triggers = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            triggers.add(new Trigger(messageId, (String) row[0], (Long) row[1]));
        }
        return triggers;
    }

    /**
     * Ends one pending recipient with a final state chosen by an administrator (FAILED for a bounce, DELETED),
     * moving its generation on so that an attempt in flight cannot record over it.
     *
     * @return whether it was still pending at {@code generation}
     */
    public boolean endPending(long recipientId, long generation, State state, String status, String error,
                              Instant now) {
        return em.createQuery("update OutboundRecipientEntity r set r.state = :s, r.generation = r.generation + 1, "
                        + "r.lastStatus = :status, r.lastError = :error, r.nextAttemptAt = :now "
                        + "where r.id = :id and r.generation = :g and r.state in :pending")
                .setParameter("s", state.name()).setParameter("status", clip(status, 16))
                .setParameter("error", clip(error, 1000)).setParameter("now", now).setParameter("id", recipientId)
                .setParameter("g", generation).setParameter("pending", PENDING).executeUpdate() == 1;
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
