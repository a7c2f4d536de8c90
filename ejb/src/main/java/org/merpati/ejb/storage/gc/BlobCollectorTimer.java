package org.merpati.ejb.storage.gc;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.StorageReadiness;
import org.merpati.ejb.storage.blob.BlobStore;

/**
 * Runs the {@link BlobCollector} every {@code MERPATI_BLOB_GC_INTERVAL} on each node (a non-persistent interval
 * timer; nodes running at once are safe, see the collector). One summary line per run.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BlobCollectorTimer {

    private static final Logger LOG = Logger.getLogger(BlobCollectorTimer.class);
    /** The first run waits for the schema migration, and at most this long. */
    static final Duration FIRST_RUN_AT_MOST = Duration.ofMinutes(5);

    @EJB
    private BlobCollectionTransactions transactions;

    @Resource
    private TimerService timers;

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile BlobCollectionSettings settings;
    private volatile BlobCollector.Run lastRun;
    private volatile Instant lastRunAt;

    @PostConstruct
    void schedule() {
        settings = BlobCollectionSettings.from(MerpatiConfig.current());
        if (!settings.enabled()) {
            LOG.info("Blob collection is off (MERPATI_BLOB_GC=false): files of unreferenced blobs stay on disk");
            return;
        }
        long interval = settings.interval().toMillis();
        long first = Math.min(interval, FIRST_RUN_AT_MOST.toMillis());
        timers.createIntervalTimer(first, interval, new TimerConfig("blob-collection", false));
    }

    @Timeout
    void collect() {
        if (!StorageReadiness.isReady() || !running.compareAndSet(false, true)) {
            return;
        }
        long start = System.nanoTime();
        try {
            BlobCollector.Run run = new BlobCollector(transactions, new BlobStore(MerpatiConfig.current().blobDir()),
                    settings, Clock.systemUTC()).run();
            lastRun = run;
            lastRunAt = Instant.now();
            LOG.info(run.summary(Duration.ofNanos(System.nanoTime() - start)));
        } catch (RuntimeException e) {
            LOG.warnf("Blob collection failed (tried again in %s): %s", settings.interval(), e.toString());
        } finally {
            running.set(false);
        }
    }

    /** The last run's figures on this node, or null before the first run (for an admin view). */
    public BlobCollector.Run lastRun() {
        return lastRun;
    }

    public Instant lastRunAt() {
        return lastRunAt;
    }
}
