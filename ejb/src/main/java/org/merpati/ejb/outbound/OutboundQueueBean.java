package org.merpati.ejb.outbound;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Queue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.storage.blob.BlobStore;

/**
 * {@link OutboundQueue} in the server: the rows through the JTA datasource, the trigger through {@code java:/JmsXA},
 * both in the caller's transaction.
 *
 * <p><b>Commit of rows and trigger together.</b> The datasource is not XA, so Narayana commits it as the last
 * resource (LRCO): it prepares Artemis, then commits the database in one phase, then writes its log and commits
 * Artemis. The outcomes of a crash: before the database commit, both roll back (nothing was acknowledged); after
 * it but before the log write, recovery presumes abort and rolls back Artemis's prepared branch, so the rows exist
 * without their trigger. A trigger without rows cannot happen (and would be ignored). The rows without trigger are
 * what {@link QueueSweeper} finds: QUEUED and past their time, they get a new trigger within minutes. So a message
 * acknowledged with 250 is never lost, at worst delayed.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRED)
public class OutboundQueueBean implements OutboundQueue {

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @Resource(lookup = JmsTriggers.CONNECTION_FACTORY)
    private ConnectionFactory jms;

    @Resource(lookup = JmsTriggers.QUEUE)
    private Queue queue;

    @Override
    public long enqueue(Envelope envelope, List<Recipient> remoteRecipients, Path message, long size)
            throws IOException {
        MerpatiConfig config = MerpatiConfig.current();
        return new QueueStore(em, new BlobStore(config.blobDir()), new JmsTriggers(jms, queue), config,
                OutboundSettings.current()).enqueue(envelope, remoteRecipients, message, size, Instant.now());
    }
}
