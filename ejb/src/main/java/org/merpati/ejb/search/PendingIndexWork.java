package org.merpati.ejb.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Which messages of which mailbox have committed but may not be in the index yet: the documents of each
 * queued indexing plan, per mailbox, until the plan is applied. A search waits (briefly) only for its own
 * mailbox's plans, then lets the scanner confirm the UIDs still pending, so its answer is exact however far
 * behind the index is and however busy other mailboxes are.
 *
 * <p>How documents meet their plan: Hibernate Search builds the documents of a transaction on the
 * committing thread (the bridge calls {@link #documentWritten}), and after the commit hands the plan's
 * future to {@link IndexingSynchronization} on that same thread, which calls {@link #planQueued}. The UIDs
 * written on the thread since the last plan belong to that plan. A transaction that rolls back after its
 * documents were built leaves its UIDs to the next plan of the thread: they are then pending a little
 * longer, which costs a scanner check and never a wrong answer. Threads that build documents without
 * queuing plans (the mass indexer) keep at most {@link #MAX_UIDS_PER_THREAD} UIDs.
 *
 * <p>Applied is not yet visible: searches share a near-real-time index reader that is reopened at most every
 * {@link #REFRESH_INTERVAL_MS} ({@code hibernate.search.backend.io.refresh_interval} in persistence.xml), because
 * reopening it for every search while mail keeps arriving cost more than the search itself. A reader in use
 * was opened at most that long ago (plus the lag of Hibernate Search's 5 ms clock), so a plan's UIDs stay
 * pending for {@link #VISIBILITY_GRACE_MS}, twice the interval, after the plan is applied.
 *
 * <p>A mailbox with more than {@link #MAX_UIDS_PER_MAILBOX} pending UIDs in one plan (a rename of INBOX
 * re-indexes all its messages, a large MULTIAPPEND) is pending as a whole: its searches use the scanner
 * alone until the plan is applied.
 */
public final class PendingIndexWork {

    /** How often the shared index reader may be reopened: must equal persistence.xml's refresh_interval. */
    public static final long REFRESH_INTERVAL_MS = 1000;
    /** How long applied work stays pending: until every reader that may lack it has been replaced. */
    static final long VISIBILITY_GRACE_MS = 2 * REFRESH_INTERVAL_MS;

    /** UIDs of one mailbox in one plan kept individually; above it the whole mailbox is pending. */
    static final int MAX_UIDS_PER_MAILBOX = 1000;
    /** UIDs a thread collects without queuing a plan; above it the mailboxes of further ones are whole. */
    static final int MAX_UIDS_PER_THREAD = 10_000;

    /** The answer of {@link #await}: the mailbox's UIDs not yet in the index, or the whole mailbox. */
    public record Pending(long[] uids, boolean wholeMailbox) {

        static final Pending NONE = new Pending(new long[0], false);
        static final Pending WHOLE = new Pending(new long[0], true);

        public boolean none() {
            return !wholeMailbox && uids.length == 0;
        }
    }

    /**
     * One queued plan's documents of one mailbox: the UIDs, or null for the whole mailbox; {@code visibleAt}
     * is set when the plan is applied ({@link System#nanoTime} after which every index reader has them).
     */
    private static final class Work {
        final CompletableFuture<?> done;
        final long[] uids;
        volatile long visibleAt;
        volatile boolean applied;

        Work(CompletableFuture<?> done, long[] uids) {
            this.done = done;
            this.uids = uids;
        }

        boolean visible(long now) {
            return applied && now - visibleAt >= 0;
        }
    }

    private static final Map<Long, Set<Work>> PENDING = new ConcurrentHashMap<>();
    private static final ThreadLocal<Written> WRITTEN = ThreadLocal.withInitial(Written::new);

    /** UIDs whose documents were built on one thread since its last queued plan, by mailbox. */
    private static final class Written {
        final Map<Long, List<Long>> uids = new HashMap<>();
        final Set<Long> whole = new java.util.HashSet<>();
        int count;
    }

    private PendingIndexWork() {
    }

    /** The index bridge built the document of a message (on the transaction's thread, before commit). */
    static void documentWritten(long mailboxId, long uid) {
        Written written = WRITTEN.get();
        if (written.whole.contains(mailboxId)) {
            return;
        }
        List<Long> uids = written.uids.computeIfAbsent(mailboxId, k -> new ArrayList<>());
        if (uids.size() >= MAX_UIDS_PER_MAILBOX || written.count >= MAX_UIDS_PER_THREAD) {
            written.count -= uids.size();
            written.uids.remove(mailboxId);
            written.whole.add(mailboxId);
            return;
        }
        uids.add(uid);
        written.count++;
    }

    /** A plan was queued after commit on this thread: the documents written since the last one are its. */
    static void planQueued(CompletableFuture<?> plan) {
        Written written = WRITTEN.get();
        if (written.count == 0 && written.whole.isEmpty()) {
            return; // deletes only: nothing the index lacks
        }
        written.uids.forEach((mailboxId, uids) ->
                register(mailboxId, uids.stream().mapToLong(Long::longValue).toArray(), plan));
        written.whole.forEach(mailboxId -> register(mailboxId, null, plan));
        WRITTEN.remove();
    }

    /**
     * Records committed messages of a mailbox whose documents are applied when {@code done} completes.
     *
     * @param uids the messages, or null for every message of the mailbox
     */
    public static void register(long mailboxId, long[] uids, CompletableFuture<?> done) {
        Work work = new Work(done, uids);
        PENDING.compute(mailboxId, (k, set) -> { // atomic with the removal of an emptied set below
            Set<Work> works = set == null ? ConcurrentHashMap.newKeySet() : set;
            works.add(work);
            return works;
        });
        done.whenComplete((r, e) -> {
            work.visibleAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(VISIBILITY_GRACE_MS);
            work.applied = true;
            CompletableFuture.delayedExecutor(VISIBILITY_GRACE_MS, TimeUnit.MILLISECONDS).execute(() ->
                    PENDING.computeIfPresent(mailboxId, (k, set) -> {
                        set.remove(work);
                        return set.isEmpty() ? null : set;
                    }));
        });
    }

    /**
     * Waits up to {@code max} for the mailbox's queued index work, then tells what is still pending. Work of
     * other mailboxes is never waited for.
     */
    public static Pending await(long mailboxId, Duration max) {
        Set<Work> works = PENDING.get(mailboxId);
        if (works == null || works.isEmpty()) {
            return Pending.NONE;
        }
        CompletableFuture<?>[] futures = works.stream().map(w -> w.done).toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(futures).get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // a failed plan marks the index stale by itself (IndexingSynchronization)
        } catch (TimeoutException e) {
            // what is still pending goes to the scanner
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Pending.WHOLE;
        }
        return pending(mailboxId);
    }

    /** The mailbox's UIDs not yet in the index, now, without waiting. */
    public static Pending pending(long mailboxId) {
        Set<Work> works = PENDING.get(mailboxId);
        if (works == null) {
            return Pending.NONE;
        }
        long[] all = new long[0];
        long now = System.nanoTime();
        for (Work work : works.toArray(new Work[0])) {
            if (work.visible(now)) {
                continue;
            }
            if (work.uids == null) {
                return Pending.WHOLE;
            }
            int n = all.length;
            all = Arrays.copyOf(all, n + work.uids.length);
            System.arraycopy(work.uids, 0, all, n, work.uids.length);
            if (all.length > MAX_UIDS_PER_MAILBOX) {
                return Pending.WHOLE; // cheaper to scan than to list
            }
        }
        all = Arrays.stream(all).sorted().distinct().toArray();
        return all.length == 0 ? Pending.NONE : new Pending(all, false);
    }
}
