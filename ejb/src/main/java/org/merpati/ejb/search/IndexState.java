package org.merpati.ejb.search;

import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.hibernate.SessionFactory;
import org.jboss.logging.Logger;

/**
 * Whether the message index of one persistence unit can be trusted. Only {@link Status#READY} is: in every
 * other state searches use the scanner. A static registry on purpose, as {@code StorageReadiness}: per
 * deployment (class loader), keyed by the EntityManagerFactory, and free for every search to ask.
 *
 * <p>A marker file, {@value #DIRTY_MARKER} in the index root, exists whenever the index may lack committed
 * messages: from start until a clean stop (index work is committed to disk every second, so a crash may
 * lose the last second) and after a failed indexing. Its presence at start means re-index.
 */
public final class IndexState {

    /** The lifecycle of one index. */
    public enum Status {
        /** Not checked yet (starting). */
        STARTING,
        /** Being rebuilt by the mass indexer. */
        REINDEXING,
        /** Complete for every committed message, but for work still queued. */
        READY,
        /** Known to miss messages (failed indexing, failed rebuild): re-indexed at next start. */
        STALE
    }

    static final String DIRTY_MARKER = "merpati-index-dirty";
    /**
     * The document format the index was built with, in a file of that name; an index of another format is
     * rebuilt at start. 2: UIDs (and partial documents' UIDs) as doc values, read by searches without stored
     * fields.
     */
    static final String FORMAT_FILE = "merpati-index-format";
    static final String FORMAT = "2";
    private static final Logger LOG = Logger.getLogger(IndexState.class);
    private static final Map<Object, IndexState> STATES = Collections.synchronizedMap(new WeakHashMap<>());

    private final Path root;
    private volatile Status status = Status.STARTING;

    private IndexState(Path root) {
        this.root = root;
    }

    /** The state registered for this persistence unit by {@link IndexMaintenance#start}, or null. */
    public static IndexState of(EntityManagerFactory entityManagerFactory) {
        return STATES.get(key(entityManagerFactory));
    }

    static IndexState register(EntityManagerFactory entityManagerFactory, Path root) {
        IndexState state = new IndexState(root);
        STATES.put(key(entityManagerFactory), state);
        return state;
    }

    static void unregister(EntityManagerFactory entityManagerFactory) {
        STATES.remove(key(entityManagerFactory));
    }

    /** The session factory itself: the container may hand out wrappers of it in different places. */
    private static Object key(EntityManagerFactory entityManagerFactory) {
        try {
            return entityManagerFactory.unwrap(SessionFactory.class);
        } catch (RuntimeException e) {
            return entityManagerFactory;
        }
    }

    static void markAllStale() {
        List<IndexState> all;
        synchronized (STATES) {
            all = new ArrayList<>(STATES.values());
        }
        all.forEach(IndexState::markStale);
    }

    public Status status() {
        return status;
    }

    public boolean ready() {
        return status == Status.READY;
    }

    void set(Status next) {
        status = next;
    }

    /** The index misses messages: distrust it now, and rebuild it at the next start. */
    public void markStale() {
        status = Status.STALE;
        markDirty();
    }

    Path root() {
        return root;
    }

    boolean dirty() {
        return Files.exists(root.resolve(DIRTY_MARKER));
    }

    void markDirty() {
        try {
            Files.createDirectories(root);
            if (!Files.exists(root.resolve(DIRTY_MARKER))) {
                Files.createFile(root.resolve(DIRTY_MARKER));
            }
        } catch (IOException e) {
            LOG.warnf("Cannot write %s: %s", root.resolve(DIRTY_MARKER), e);
        }
    }

    /** Whether the index on disk was built with the current {@link #FORMAT}. */
    boolean formatCurrent() {
        try {
            Path file = root.resolve(FORMAT_FILE);
            return Files.exists(file) && Files.readString(file).trim().equals(FORMAT);
        } catch (IOException e) {
            return false;
        }
    }

    /** Records that the index holds documents of the current format only. */
    void markFormatCurrent() {
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve(FORMAT_FILE), FORMAT);
        } catch (IOException e) {
            LOG.warnf("Cannot write %s: %s", root.resolve(FORMAT_FILE), e);
        }
    }

    void markClean() throws IOException {
        Files.deleteIfExists(root.resolve(DIRTY_MARKER));
    }
}
