package org.merpati.ejb.outbound;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.StorageReadiness;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.OutboundRepository.Trigger;

/**
 * Runs one delivery attempt per trigger on {@code MerpatiOutbound}: claim the due recipients of (message, domain)
 * in a short transaction, hand them to {@link RemoteDelivery} outside any transaction, then record the outcomes,
 * the next trigger and the DSN in another short transaction ({@link OutboundTransactions}).
 *
 * <p>A stale or duplicate trigger claims nothing and is dropped. If recording fails even after a few tries
 * (database gone), the claimed recipients stay SENDING until their lease ends and the sweeper tries them again;
 * recipients the peer had accepted may then get the message twice, the usual at-least-once of mail. Not-ready storage makes onMessage
 * throw, so the broker redelivers the trigger later (address-settings of the queue).
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = JmsTriggers.QUEUE),
    @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
    @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "${env.MERPATI_OUTBOUND_CONCURRENCY:8}"),
    // an attempt may take minutes: a session must not hold prefetched triggers that idle sessions could run
    @ActivationConfigProperty(propertyName = "consumerWindowSize", propertyValue = "0")
})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class OutboundDeliveryMdb implements MessageListener {

    private static final Logger LOG = Logger.getLogger(OutboundDeliveryMdb.class);
    /** Waits before recording again after a failure (database restarting, a deadlock victim, disk full). */
    private static final long[] RECORD_RETRY_MILLIS = {2_000, 10_000, 30_000};

    @EJB
    private OutboundTransactions transactions;

    @Override
    public void onMessage(Message message) {
        Trigger trigger;
        try {
            trigger = JmsTriggers.read(message);
        } catch (JMSException e) {
            LOG.warnf("Unreadable message on the outbound queue dropped: %s", e.toString());
            return;
        }
        if (trigger == null) {
            LOG.warnf("A message on the outbound queue that is not a delivery trigger was dropped: %s", message);
            return;
        }
        if (!StorageReadiness.isReady()) {
            throw new IllegalStateException("Storage not ready: outbound " + trigger.messageId() + " waits");
        }
        Optional<QueueStore.Claim> claim = transactions.claim(trigger);
        if (claim.isEmpty()) {
            LOG.debugf("Trigger %s is stale or not due: ignored", trigger);
            return;
        }
        QueueStore.Claim c = claim.get();
        List<RecipientOutcome> outcomes = attempt(c);
        AttemptPlan plan = new AttemptPlanner(OutboundSettings.current()).afterAttempt(c.message(), c.recipients(),
                outcomes, Instant.now());
        record(c, plan);
    }

    /**
     * Records the plan, trying again a few times: giving up means the recipients are attempted again when their
     * lease ends, which re-sends to those the peer accepted.
     */
    private void record(QueueStore.Claim c, AttemptPlan plan) {
        for (int attempt = 0; ; attempt++) {
            try {
                transactions.record(c.message(), c.domain(), plan);
                return;
            } catch (RuntimeException e) {
                if (attempt >= RECORD_RETRY_MILLIS.length) {
                    LOG.errorf(e, "Outbound %d to %s: the outcome could not be recorded; the recipients are tried "
                            + "again when their lease ends", c.message().id(), c.domain());
                    return;
                }
                LOG.warnf("Outbound %d to %s: recording the outcome failed (%s), trying again", c.message().id(),
                        c.domain(), e.toString());
                try {
                    Thread.sleep(RECORD_RETRY_MILLIS[attempt]);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The attempt itself; a failure of the client is a temporary failure of every recipient, never a lost trigger. */
    private static List<RecipientOutcome> attempt(QueueStore.Claim claim) {
        OutboundAttempt attempt = QueueStore.attemptOf(claim, new BlobStore(MerpatiConfig.current().blobDir()));
        try {
            return RemoteDeliveries.current().deliver(attempt);
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "Outbound %d to %s: the SMTP client failed", claim.message().id(), claim.domain());
            String why = "Local error in the SMTP client: " + e.getClass().getSimpleName();
            return attempt.recipients().stream().map(r -> new RecipientOutcome(r, RecipientOutcome.Status.TEMPORARY,
                    "4.3.0", why, false, null)).toList();
        }
    }
}
