package org.merpati.ejb.outbound;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.service.AppendedMessage;
import org.merpati.ejb.service.ChangeNotifier;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.OutboundRepository.Trigger;

/**
 * The short transactions around an attempt, on their own bean so that the container applies them to calls from the
 * MDB and the sweeper (which run without a transaction). Each is REQUIRES_NEW: the network I/O between them is
 * never inside one.
 */
@Stateless
public class OutboundTransactions {

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @Resource(lookup = JmsTriggers.CONNECTION_FACTORY)
    private ConnectionFactory jms;

    @Resource(lookup = JmsTriggers.QUEUE)
    private Queue queue;

    @Resource
    private TransactionSynchronizationRegistry transactionRegistry;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public Optional<QueueStore.Claim> claim(Trigger trigger) {
        return store().claim(trigger, Instant.now());
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public QueueStore.Recorded record(QueuedMessage message, String domain, AttemptPlan plan) {
        try {
            QueueStore.Recorded recorded = store().record(message, domain, plan, Instant.now());
            announce(recorded.dsnDeliveries());
            return recorded;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the DSN of outbound " + message.id(), e);
        }
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<Trigger> sweep(int limit) {
        return store().sweep(Instant.now(), limit);
    }

    /** Wakes IMAP sessions watching the mailboxes a DSN went to, once the transaction has committed. */
    private void announce(List<AppendedMessage> appended) {
        ChangeNotifier notifier = new ChangeNotifier(transactionRegistry);
        for (AppendedMessage a : appended) {
            notifier.mailboxChanged(a.mailboxId(), a.modSeq());
        }
    }

    private QueueStore store() {
        MerpatiConfig config = MerpatiConfig.current();
        return new QueueStore(em, new BlobStore(config.blobDir()), new JmsTriggers(jms, queue), config,
                OutboundSettings.current());
    }
}
