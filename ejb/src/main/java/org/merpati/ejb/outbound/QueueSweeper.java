package org.merpati.ejb.outbound;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.merpati.ejb.platform.StorageReadiness;

/**
 * The safety net of the outbound queue: every 5 minutes, and once shortly after deploy, triggers again what is
 * overdue — QUEUED recipients whose trigger never reached the broker (the last-resource commit's crash window, see
 * {@link OutboundQueueBean}) or was dead-lettered, and SENDING recipients whose attempt died with its node. A
 * re-sent trigger that meets an attempt already under way is harmless: only one claim per generation succeeds.
 * Each node sweeps; duplicates across nodes are just as harmless.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class QueueSweeper {

    private static final Logger LOG = Logger.getLogger(QueueSweeper.class);
    /** Groups re-triggered per run at most; the next run takes the rest. */
    static final int BATCH = 1000;
    /** The first sweep after deploy waits for the schema migration and the broker. */
    static final long FIRST_SWEEP_MILLIS = 30_000;

    @EJB
    private OutboundTransactions transactions;

    @Resource
    private TimerService timers;

    private final AtomicBoolean running = new AtomicBoolean();

    @PostConstruct
    void scheduleFirstSweep() {
        timers.createSingleActionTimer(FIRST_SWEEP_MILLIS, new TimerConfig("outbound-queue-first-sweep", false));
    }

    @Timeout
    void firstSweep() {
        sweep();
    }

    @Schedule(minute = "*/5", hour = "*", persistent = false, info = "outbound-queue-sweep")
    void periodicSweep() {
        sweep();
    }

    void sweep() {
        if (!StorageReadiness.isReady() || !running.compareAndSet(false, true)) {
            return;
        }
        try {
            transactions.sweep(BATCH);
        } catch (RuntimeException e) {
            LOG.warnf("Outbound queue sweep failed (tried again in 5 minutes): %s", e.toString());
        } finally {
            running.set(false);
        }
    }
}
