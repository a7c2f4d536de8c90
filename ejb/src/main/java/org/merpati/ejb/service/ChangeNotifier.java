package org.merpati.ejb.service;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.merpati.connector.api.access.MailboxChangeBus;
import org.merpati.ejb.cluster.ChangeBroadcaster;

/**
 * Tells {@link MailboxChangeBus} that mailboxes changed, once the transaction that changed them committed:
 * a session woken earlier would ask {@code changesSince} and not see the change yet, and a rolled-back
 * change must not be announced at all. Changes of one transaction are collected (highest MODSEQ per
 * mailbox) in an interposed synchronization registered with the transaction, and published in
 * {@code afterCompletion} when the status is committed.
 *
 * <p>Without a transaction manager (plain unit tests, tools) or outside a transaction, there is nothing to
 * wait for and the change is published at once.
 */
public final class ChangeNotifier {

    private static final Logger LOG = Logger.getLogger(ChangeNotifier.class);
    private static final Object KEY = new Object();

    private final TransactionSynchronizationRegistry registry;

    /** @param registry the container's registry, or null outside a container */
    public ChangeNotifier(TransactionSynchronizationRegistry registry) {
        this.registry = registry;
    }

    /** A notifier that publishes at once (no container transaction to wait for). */
    public static ChangeNotifier immediate() {
        return new ChangeNotifier(null);
    }

    public void mailboxChanged(long mailboxId, long highestModSeq) {
        if (registry == null || registry.getTransactionKey() == null) {
            publish(mailboxId, highestModSeq);
            return;
        }
        PendingChanges pending = (PendingChanges) registry.getResource(KEY);
        if (pending == null) {
            pending = new PendingChanges();
            registry.putResource(KEY, pending);
            registry.registerInterposedSynchronization(pending);
        }
        pending.record(mailboxId, highestModSeq);
    }

    private static void publish(long mailboxId, long highestModSeq) {
        try {
            MailboxChangeBus.publish(mailboxId, highestModSeq);
            ChangeBroadcaster.announce(mailboxId, highestModSeq);
        } catch (RuntimeException e) {
            // a notification is a hint; the change itself is committed and sessions see it on their next poll
            LOG.warnf(e, "Could not announce change of mailbox %d", mailboxId);
        }
    }

    /** The changes of one transaction, published after it committed. */
    private static final class PendingChanges implements Synchronization {

        private final Map<Long, Long> highest = new TreeMap<>();

        synchronized void record(long mailboxId, long modSeq) {
            highest.merge(mailboxId, modSeq, Math::max);
        }

        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status != Status.STATUS_COMMITTED) {
                return;
            }
            Map<Long, Long> changes;
            synchronized (this) {
                changes = new TreeMap<>(highest);
            }
            changes.forEach(ChangeNotifier::publish);
        }
    }
}
