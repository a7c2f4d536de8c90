package org.merpati.ejb.storage.gc;

import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.merpati.ejb.storage.blob.BlobStore;

/**
 * Removes blobs that have had no reference for the grace period: their file, then their row.
 *
 * <p>A run reads a batch of candidates (reference count 0, released before now minus the grace), then handles
 * each in a short transaction of its own: lock the row ({@code SELECT ... FOR UPDATE}), check again that it is
 * still unreferenced and old enough, delete the file, delete the row, commit. Every reference is taken under the
 * same row lock (the upsert of delivery and the queue, APPEND's locking read, COPY's locks), and the referencing
 * transaction checks the file after its lock ({@link BlobStore#ensurePlaced}), so a delivery of the same content
 * either waits for this transaction and then creates row and file anew (the row is gone) or puts the file back
 * (a rollback after the file was deleted left the row), or it locked first and this transaction finds the
 * count above 0 and keeps the blob. Nodes may run at once: the second to lock a row finds it gone or referenced.
 *
 * <p>The transaction holds one row lock and nothing else, so it cannot deadlock with writers whatever their lock
 * order. A file that cannot be deleted (open elsewhere on a system that refuses it) rolls its transaction back and
 * is tried again next run; a missing file is fine.
 */
public final class BlobCollector {

    private static final Logger LOG = Logger.getLogger(BlobCollector.class);

    /** Runs work in a new transaction of its own, committing when it returns and rolling back when it throws. */
    public interface Transactions {
        <T> T inNewTransaction(Function<EntityManager, T> work);
    }

    /**
     * What one run did.
     *
     * @param examined    candidates read
     * @param collected   blobs removed (file and row)
     * @param bytesFreed  their sizes, summed
     * @param kept        candidates referenced again (or collected by another node) meanwhile
     * @param failed      candidates whose removal failed (tried again next run)
     * @param tempRemoved stale files removed from the temp directory
     */
    public record Run(int examined, int collected, long bytesFreed, int kept, int failed, int tempRemoved) {

        public String summary(Duration took) {
            return String.format("Blob collection: %d blob(s), %d byte(s) freed; %d kept, %d failed of %d examined; "
                    + "%d stale temp file(s) removed (%d ms)", collected, bytesFreed, kept, failed, examined,
                    tempRemoved, took.toMillis());
        }
    }

    private final Transactions transactions;
    private final BlobStore blobs;
    private final BlobCollectionSettings settings;
    private final Clock clock;

    public BlobCollector(Transactions transactions, BlobStore blobs, BlobCollectionSettings settings, Clock clock) {
        this.transactions = transactions;
        this.blobs = blobs;
        this.settings = settings;
        this.clock = clock;
    }

    /** One run: a batch of candidates, each in its own transaction, then the temp directory. */
    public Run run() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(settings.grace());
        List<String> candidates = transactions.inNewTransaction(em -> candidates(em, cutoff, settings.batch()));
        int collected = 0;
        int kept = 0;
        int failed = 0;
        long bytes = 0;
        for (String id : candidates) {
            try {
                long freed = transactions.inNewTransaction(em -> collect(em, blobs, id, cutoff));
                if (freed < 0) {
                    kept++;
                } else {
                    collected++;
                    bytes += freed;
                }
            } catch (RuntimeException e) {
                failed++;
                LOG.warnf("Blob %s not collected (tried again next run): %s", id, rootCause(e));
            }
        }
        int temp = 0;
        try {
            temp = blobs.sweepTemp(now.minus(BlobCollectionSettings.TEMP_FILE_AGE));
        } catch (IOException e) {
            LOG.warnf("Blob temp directory not swept: %s", e.toString());
        }
        return new Run(candidates.size(), collected, bytes, kept, failed, temp);
    }

    /** Ids of unreferenced blobs released before {@code cutoff}, longest unreferenced first. */
    static List<String> candidates(EntityManager em, Instant cutoff, int limit) {
        @SuppressWarnings("unchecked")
        List<String> ids = em.createNativeQuery("SELECT id FROM blobs WHERE ref_count = 0 AND released_at < ?1 "
                        + "ORDER BY released_at, id", String.class)
                .setParameter(1, cutoff).setMaxResults(limit).getResultList();
        return ids;
    }

    /**
     * Removes one blob if, under its row lock, it is still unreferenced since before {@code cutoff}. Runs in the
     * caller's transaction, which must be its own: the file is deleted before the row, and a rollback after that
     * leaves a row without a file, which the next reference puts back and the next run removes.
     *
     * @return the bytes freed, or -1 when the blob is kept (referenced again, released again lately, or gone)
     */
    public static long collect(EntityManager em, BlobStore blobs, String id, Instant cutoff) {
        // lock first, then read: after waiting for a referencing transaction the read sees what it committed
        List<?> locked = em.createNativeQuery("SELECT id FROM blobs WHERE id = ?1 FOR UPDATE")
                .setParameter(1, id).getResultList();
        if (locked.isEmpty()) {
            return -1; // another node collected it
        }
        List<?> size = em.createNativeQuery("SELECT size_bytes FROM blobs WHERE id = ?1 AND ref_count = 0 "
                + "AND released_at < ?2").setParameter(1, id).setParameter(2, cutoff).getResultList();
        if (size.isEmpty()) {
            return -1;
        }
        try {
            blobs.delete(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int deleted = em.createNativeQuery("DELETE FROM blobs WHERE id = ?1 AND ref_count = 0")
                .setParameter(1, id).executeUpdate();
        if (deleted != 1) {
            // cannot happen under the lock; fail so that the row's state is looked at again next run
            throw new IllegalStateException("blob row " + id + " changed under its lock");
        }
        return ((Number) size.get(0)).longValue();
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }
}
