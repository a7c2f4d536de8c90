package org.merpati.ejb.search;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.hibernate.search.mapper.orm.Search;
import org.hibernate.search.mapper.orm.mapping.SearchMapping;
import org.hibernate.search.util.common.SearchException;
import org.jboss.logging.Logger;
import org.merpati.ejb.storage.jpa.MessageEntity;

/**
 * Start and stop of the message index of one persistence unit. At start the index is trusted only if the
 * previous run stopped cleanly and it is not empty while messages exist; otherwise it is rebuilt with the
 * mass indexer in the background (deployment does not wait) and searches use the scanner until it is done.
 * New messages are indexed as they commit either way.
 */
public final class IndexMaintenance {

    /** Where the Lucene backend keeps its indexes (one directory per index, ours is {@code messages}). */
    public static final String ROOT_PROPERTY = "hibernate.search.backend.directory.root";

    /** How long a clean stop waits for queued index work before committing the index. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(IndexMaintenance.class);

    private IndexMaintenance() {
    }

    /**
     * Registers the index state and, when needed, starts re-indexing.
     *
     * @param em an entity manager of {@code emf} for the checks (the caller owns its transaction)
     * @return completes when the index is ready (at once when no re-indexing was needed)
     */
    public static CompletionStage<?> start(EntityManagerFactory emf, EntityManager em) {
        SearchMapping mapping;
        try {
            mapping = Search.mapping(emf);
        } catch (SearchException | IllegalStateException e) {
            LOG.infof("Full-text index disabled (%s): searches use the scanner", e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        Object configured = emf.getProperties().get(ROOT_PROPERTY);
        Path root = Path.of(configured == null ? "." : configured.toString().trim()).toAbsolutePath();
        IndexState state = IndexState.register(emf, root);
        boolean empty = !hasDocuments(em);
        String reason = state.dirty() ? "the previous run did not stop cleanly or indexing failed"
                : empty && hasMessages(em) ? "messages exist but the index is empty"
                : !empty && !state.formatCurrent() ? "the index was written in an older format" : null;
        state.markDirty(); // until a clean stop
        if (reason == null) {
            state.markFormatCurrent(); // an empty index is of every format
            state.set(IndexState.Status.READY);
            LOG.infof("Full-text index ready in %s", root);
            return CompletableFuture.completedFuture(null);
        }
        state.set(IndexState.Status.REINDEXING);
        LOG.infof("Re-indexing messages into %s in the background: %s. Searches use the scanner meanwhile.",
                root, reason);
        long started = System.nanoTime();
        return mapping.scope(MessageEntity.class).massIndexer()
                .purgeAllOnStart(true)
                .threadsToLoadObjects(2)
                .batchSizeToLoadObjects(100)
                .start()
                .whenComplete((result, error) -> {
                    if (error == null) {
                        state.markFormatCurrent();
                        state.set(IndexState.Status.READY);
                        LOG.infof("Re-indexing done in %d s", (System.nanoTime() - started) / 1_000_000_000L);
                    } else {
                        state.markStale();
                        LOG.error("Re-indexing failed; searches keep using the scanner until the next start", error);
                    }
                });
    }

    private static boolean hasDocuments(EntityManager em) {
        return Search.session(em).search(MessageEntity.class).where(f -> f.matchAll()).fetchTotalHitCount() > 0;
    }

    private static boolean hasMessages(EntityManager em) {
        return !em.createQuery("select m.id from MessageEntity m", Long.class).setMaxResults(1).getResultList()
                .isEmpty();
    }

    /**
     * A clean stop: waits for queued work, commits the index and removes the dirty marker, so that the next
     * start trusts the index. An index still being rebuilt stays dirty (rebuilt again next time).
     */
    public static void stop(EntityManagerFactory emf) {
        IndexState state = IndexState.of(emf);
        if (state == null) {
            return;
        }
        try {
            boolean settled = IndexingSynchronization.awaitQueued(STOP_WAIT);
            if (settled && state.ready()) {
                Search.mapping(emf).scope(MessageEntity.class).workspace().flush();
                state.markClean();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Full-text index not stopped cleanly (%s); it is rebuilt at the next start", e);
        } finally {
            IndexState.unregister(emf);
        }
    }
}
