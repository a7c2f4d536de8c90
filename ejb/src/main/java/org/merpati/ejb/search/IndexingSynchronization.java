package org.merpati.ejb.search;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hibernate.search.engine.backend.work.execution.DocumentCommitStrategy;
import org.hibernate.search.engine.backend.work.execution.DocumentRefreshStrategy;
import org.hibernate.search.mapper.pojo.work.IndexingPlanSynchronizationStrategy;
import org.hibernate.search.mapper.pojo.work.IndexingPlanSynchronizationStrategyConfigurationContext;
import org.hibernate.search.mapper.pojo.work.SearchIndexingPlanExecutionReport;
import org.jboss.logging.Logger;

/**
 * When a transaction that changed messages commits, its index work is queued and the transaction returns
 * at once (delivery never waits for Lucene; the index is committed every second by the backend), like
 * Hibernate Search's {@code async} strategy. In addition each queued plan is tracked: per mailbox, with the
 * UIDs of its documents ({@link PendingIndexWork}), so that a search waits only for its own mailbox's work
 * and lets the scanner confirm what is still pending (an APPEND followed by a SEARCH finds the message);
 * and as a whole, so that a clean stop can wait for everything ({@link #awaitQueued}). A
 * failed plan marks every index {@link IndexState#markStale stale}: searches fall back to the scanner and
 * the next start re-indexes.
 *
 * <p>Configured with {@code hibernate.search.indexing.plan.synchronization.strategy}.
 */
public final class IndexingSynchronization implements IndexingPlanSynchronizationStrategy {

    private static final Logger LOG = Logger.getLogger(IndexingSynchronization.class);
    private static final Set<CompletableFuture<?>> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    @Override
    public void apply(IndexingPlanSynchronizationStrategyConfigurationContext context) {
        context.documentCommitStrategy(DocumentCommitStrategy.NONE);
        context.documentRefreshStrategy(DocumentRefreshStrategy.NONE);
        context.indexingFutureHandler(IndexingSynchronization::track);
    }

    private static void track(CompletableFuture<? extends SearchIndexingPlanExecutionReport> future) {
        IN_FLIGHT.add(future);
        PendingIndexWork.planQueued(future);
        future.whenComplete((report, error) -> {
            IN_FLIGHT.remove(future);
            Throwable failure = error != null ? error : report.throwable().orElse(null);
            if (failure != null) {
                LOG.errorf(failure, "Indexing messages failed (%s); searches use the scanner until re-indexed",
                        report == null ? "" : report.failingEntities());
                IndexState.markAllStale();
            }
        });
    }

    /**
     * Waits until all the index work queued before this call has been applied (a clean stop; searches wait
     * for their own mailbox only, see {@link PendingIndexWork#await}).
     *
     * @return false when it did not settle within {@code max} (the index may lack recent messages)
     */
    public static boolean awaitQueued(Duration max) {
        CompletableFuture<?>[] queued = IN_FLIGHT.toArray(new CompletableFuture<?>[0]);
        if (queued.length == 0) {
            return true;
        }
        try {
            CompletableFuture.allOf(queued).get(max.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return true; // a failure marks the index stale by itself
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Index work queued and not yet applied. */
    public static int queued() {
        return IN_FLIGHT.size();
    }
}
