package org.merpati.ejb.outbound;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.merpati.ejb.api.QueueAdmin;
import org.merpati.ejb.api.QueuedMessageView;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.service.ChangeNotifier;
import org.merpati.ejb.storage.blob.BlobStore;

/** {@link QueueAdmin}: each operation one transaction (rows, triggers and the bounce's DSN commit together). */
@Stateless
public class OutboundQueueAdmin implements QueueAdmin {

    static final int MAX_PAGE = 1000;

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @Resource(lookup = JmsTriggers.CONNECTION_FACTORY)
    private ConnectionFactory jms;

    @Resource(lookup = JmsTriggers.QUEUE)
    private Queue queue;

    @Resource
    private TransactionSynchronizationRegistry transactionRegistry;

    @Override
    public List<QueuedMessageView> list(int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw new MailException(MailError.INVALID, "offset must be >= 0 and limit between 1 and " + MAX_PAGE);
        }
        return store().list(offset, limit);
    }

    @Override
    public int retry(long messageId) {
        return store().retry(messageId, Instant.now());
    }

    @Override
    public int flush() {
        return store().flush(Instant.now(), 10_000);
    }

    @Override
    public void delete(long messageId) {
        store().delete(messageId);
    }

    @Override
    public int bounce(long messageId) {
        try {
            QueueStore.Recorded bounced = store().bounce(messageId, new AttemptPlanner(OutboundSettings.current()),
                    Instant.now());
            ChangeNotifier notifier = new ChangeNotifier(transactionRegistry);
            bounced.dsnDeliveries().forEach(a -> notifier.mailboxChanged(a.mailboxId(), a.modSeq()));
            return bounced.applied();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the DSN of outbound " + messageId, e);
        }
    }

    private QueueStore store() {
        MerpatiConfig config = MerpatiConfig.current();
        return new QueueStore(em, new BlobStore(config.blobDir()), new JmsTriggers(jms, queue), config,
                OutboundSettings.current());
    }
}
