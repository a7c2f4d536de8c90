package org.merpati.connector.api.access;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells live sessions (IDLE, NOTIFY, the next NOOP) that a mailbox changed, within this JVM. The store
 * publishes after its transaction committed; the connector's sessions subscribe to the mailbox they have
 * selected and then ask {@link MailAccessListener#changesSince} what changed. This jar sits in the EAR's
 * {@code lib}, so the resource adapter and the EJBs share the one instance. Changes made on another node
 * arrive through the JMS topic {@code MerpatiChanges}, whose MDB publishes here.
 *
 * <p>Listeners run on the publishing thread and must only schedule work (e.g. onto an event loop).
 */
public final class MailboxChangeBus {

    private static final Logger LOG = Logger.getLogger(MailboxChangeBus.class.getName());
    private static final Map<Long, Set<LongConsumer>> LISTENERS = new ConcurrentHashMap<>();

    private MailboxChangeBus() {
    }

    /** Registers a listener for a mailbox; it receives the mailbox's new HIGHESTMODSEQ. */
    public static void subscribe(long mailboxId, LongConsumer listener) {
        LISTENERS.computeIfAbsent(mailboxId, id -> new CopyOnWriteArraySet<>()).add(listener);
    }

    public static void unsubscribe(long mailboxId, LongConsumer listener) {
        LISTENERS.computeIfPresent(mailboxId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** Announces that a mailbox changed up to {@code highestModseq}. */
    public static void publish(long mailboxId, long highestModseq) {
        Set<LongConsumer> set = LISTENERS.get(mailboxId);
        if (set == null) {
            return;
        }
        for (LongConsumer listener : set) {
            try {
                listener.accept(highestModseq);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "mailbox change listener failed", e);
            }
        }
    }

    /** Number of mailboxes with listeners (for tests and metrics). */
    public static int watchedMailboxes() {
        return LISTENERS.size();
    }
}
