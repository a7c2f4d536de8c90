package org.merpati.ejb.search;

import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hibernate.search.engine.search.aggregation.AggregationKey;
import org.hibernate.search.engine.search.predicate.dsl.BooleanPredicateClausesStep;
import org.hibernate.search.engine.search.query.SearchResult;
import org.hibernate.search.engine.search.predicate.dsl.SearchPredicateFactory;
import org.hibernate.search.mapper.orm.Search;
import org.hibernate.search.mapper.orm.session.SearchSession;
import org.hibernate.search.mapper.orm.work.SearchIndexingPlan;
import org.hibernate.search.util.common.SearchException;
import org.jboss.logging.Logger;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.ejb.storage.jpa.MessageEntity;
import org.merpati.ejb.storage.jpa.UidRanges;

/**
 * Narrows a SEARCH key tree with the full-text index before it is evaluated. Each BODY/TEXT key, and each
 * SUBJECT/FROM/TO/CC/BCC key with a value, is rewritten into an equivalent key that SQL can restrict:
 * <ul>
 *   <li>exact answer ({@link SearchTerms}): {@code UID <matches>}, or {@code UID <matches> OR (UID <partial
 *       documents> AND key)} when some candidates were indexed partially;</li>
 *   <li>superset: {@code UID <candidates> AND key}, so the scanner only reads the candidates.</li>
 * </ul>
 * Both forms match exactly the messages the original key matches, so the rewrite is correct under any
 * NOT/OR. Messages of the mailbox whose index work is still queued ({@link PendingIndexWork}, waited for
 * at most {@link #QUEUE_WAIT}) join the candidates the scanner confirms, like partial documents, so the
 * answer stays exact without waiting for anyone else's work. When the index cannot be trusted (disabled,
 * rebuilding, stale, or the whole mailbox is pending) the key is returned unchanged and the scanner does
 * all the work, as before.
 * Every index query is filtered by the mailbox id; the rows it names are read back through SQL for the same
 * mailbox, so a stale document can never leak a message of another mailbox or a removed one.
 */
public final class MessageIndex {

    /**
     * How long a search waits for its mailbox's queued index work (e.g. its own APPEND) before the scanner
     * confirms the messages still pending. Zero: scanning the few pending messages costs less than waiting for
     * an index commit (the IMAP mix's SEARCH right after APPEND spent most of its time in a 100 ms wait).
     */
    static final Duration QUEUE_WAIT = Duration.ZERO;

    private static final Logger LOG = Logger.getLogger(MessageIndex.class);

    private final EntityManager em;

    public MessageIndex(EntityManager em) {
        this.em = em;
    }

    /** The key narrowed by the index, or the same key when the index cannot help or cannot be trusted. */
    public SearchKey narrow(long mailboxId, SearchKey key) {
        if (!indexable(key)) {
            return key;
        }
        IndexState state = IndexState.of(em.getEntityManagerFactory());
        if (state == null || !state.ready()) {
            return key;
        }
        // before the index query: what completes after this snapshot is in the index by then
        PendingIndexWork.Pending pending = PendingIndexWork.await(mailboxId, QUEUE_WAIT);
        if (pending.wholeMailbox()) {
            return key;
        }
        try {
            return rewrite(Search.session(em), mailboxId, key, pending.uids());
        } catch (SearchException e) {
            LOG.warnf("Full-text index query failed (%s); using the scanner", e.getMessage());
            return key;
        }
    }

    /**
     * Re-indexes every message of a mailbox in the current transaction: for changes made by bulk JPQL
     * (RENAME INBOX moves all rows at once), which automatic indexing does not see. Without it the moved
     * messages would keep their old mailbox id in the index and be missed.
     */
    public static void reindexMailbox(EntityManager em, long mailboxId) {
        SearchIndexingPlan plan;
        try {
            plan = Search.session(em).indexingPlan();
        } catch (SearchException | IllegalStateException e) {
            return; // Hibernate Search is disabled: there is no index to correct
        }
        em.createQuery("select m from MessageEntity m where m.mailbox.id = :mailbox", MessageEntity.class)
                .setParameter("mailbox", mailboxId)
                .getResultStream()
                .forEach(plan::addOrUpdate);
    }

    /**
     * Removes the documents of message rows deleted by SQL (a set-based EXPUNGE), when the transaction
     * commits: automatic indexing only sees entity removals. A stale document could not leak a message (every
     * hit is read back through SQL), but it would cost the index space and the search a candidate.
     */
    public static void purge(EntityManager em, java.util.Collection<Long> messageIds) {
        SearchIndexingPlan plan;
        try {
            plan = Search.session(em).indexingPlan();
        } catch (SearchException | IllegalStateException e) {
            return; // Hibernate Search is disabled: there is no index to correct
        }
        messageIds.forEach(id -> plan.purge(MessageEntity.class, id, null));
    }

    private static boolean indexable(SearchKey key) {
        if (key instanceof SearchKey.And and) {
            return and.keys().stream().anyMatch(MessageIndex::indexable);
        }
        if (key instanceof SearchKey.Or or) {
            return indexable(or.left()) || indexable(or.right());
        }
        if (key instanceof SearchKey.Not not) {
            return indexable(not.key());
        }
        if (key instanceof SearchKey.Text text) {
            return SearchTerms.needle(text.value()).usable();
        }
        if (key instanceof SearchKey.Header header) {
            return MessageIndexBinder.envelopeField(header.field()) != null && header.value() != null
                    && SearchTerms.needle(header.value()).usable();
        }
        return false;
    }

    /** @param pending UIDs of the mailbox not yet in the index: always left to the scanner */
    private SearchKey rewrite(SearchSession session, long mailboxId, SearchKey key, long[] pending) {
        if (key instanceof SearchKey.And and) {
            List<SearchKey> keys = new ArrayList<>();
            and.keys().forEach(k -> keys.add(rewrite(session, mailboxId, k, pending)));
            return new SearchKey.And(keys);
        }
        if (key instanceof SearchKey.Or or) {
            return new SearchKey.Or(rewrite(session, mailboxId, or.left(), pending),
                    rewrite(session, mailboxId, or.right(), pending));
        }
        if (key instanceof SearchKey.Not not) {
            return new SearchKey.Not(rewrite(session, mailboxId, not.key(), pending));
        }
        if (!indexable(key)) {
            return key;
        }
        String value;
        List<String> fields;
        if (key instanceof SearchKey.Text text) {
            value = text.value();
            fields = text.bodyOnly() ? List.of(MessageIndexBinder.BODY)
                    : List.of(MessageIndexBinder.HEADER, MessageIndexBinder.BODY);
        } else {
            SearchKey.Header header = (SearchKey.Header) key;
            value = header.value();
            fields = List.of(MessageIndexBinder.envelopeField(header.field()));
        }
        SearchTerms.Needle needle = SearchTerms.needle(value);
        Candidates found = query(session, mailboxId, fields, needle.runs());
        if (!needle.exact()) {
            return new SearchKey.And(List.of(uids(found.complete, found.partial, pending), key));
        }
        SearchKey matches = uids(found.complete);
        return found.partial.length == 0 && pending.length == 0 ? matches
                : new SearchKey.Or(matches, new SearchKey.And(List.of(uids(found.partial, pending), key)));
    }

    /** UIDs of the mailbox's documents with every run in one of the fields, and of its partial documents. */
    private record Candidates(long[] complete, long[] partial) {
    }

    /** UIDs collected from doc values per search; more hits than this are read by the projection query. */
    static final int MAX_COLLECTED = 4096;
    private static final AggregationKey<Map<Long, Long>> UIDS = AggregationKey.of("uids");
    private static final AggregationKey<Map<Long, Long>> PARTIAL_UIDS = AggregationKey.of("partial_uids");

    /**
     * The hits' UIDs from doc values (terms aggregations over {@code uid} and {@code partial_uid}), with no
     * hit fetched: nothing is scored and no stored field is read. A result with more hits than
     * {@link #MAX_COLLECTED} goes to {@link #projected}.
     */
    private static Candidates query(SearchSession session, long mailboxId, List<String> fields, List<String> runs) {
        SearchResult<?> result = session.search(MessageEntity.class)
                .where(f -> f.bool()
                        .filter(f.match().field(MessageIndexBinder.MAILBOX).matching(mailboxId))
                        .filter(anyField(f, fields, runs)))
                .aggregation(UIDS, f -> f.terms().field(MessageIndexBinder.UID, Long.class)
                        .maxTermCount(MAX_COLLECTED))
                .aggregation(PARTIAL_UIDS, f -> f.terms().field(MessageIndexBinder.PARTIAL_UID, Long.class)
                        .maxTermCount(MAX_COLLECTED))
                .fetch(0);
        Map<Long, Long> all = result.aggregation(UIDS);
        Map<Long, Long> partial = result.aggregation(PARTIAL_UIDS);
        if (!result.total().isHitCountExact() || result.total().hitCount() != all.size()
                || all.size() >= MAX_COLLECTED) {
            return projected(session, mailboxId, fields, runs);
        }
        long[] complete = all.keySet().stream().filter(uid -> !partial.containsKey(uid)).mapToLong(Long::longValue)
                .sorted().toArray();
        long[] partialUids = partial.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        return new Candidates(complete, partialUids);
    }

    /** The same from projections (stored fields), in index order (unscored): for very many hits. */
    private static Candidates projected(SearchSession session, long mailboxId, List<String> fields,
                                        List<String> runs) {
        List<long[]> hits = session.search(MessageEntity.class)
                .select(f -> f.composite().from(f.field(MessageIndexBinder.UID, Long.class),
                        f.field(MessageIndexBinder.PARTIAL, Boolean.class))
                        .as((uid, partial) -> new long[] {uid, Boolean.TRUE.equals(partial) ? 1 : 0}))
                .where(f -> f.bool()
                        .filter(f.match().field(MessageIndexBinder.MAILBOX).matching(mailboxId))
                        .filter(anyField(f, fields, runs)))
                .sort(f -> f.indexOrder())
                .fetchAllHits();
        long[] complete = hits.stream().filter(h -> h[1] == 0).mapToLong(h -> h[0]).toArray();
        long[] partial = hits.stream().filter(h -> h[1] == 1).mapToLong(h -> h[0]).toArray();
        return new Candidates(complete, partial);
    }

    /** Partial documents, or documents with a term starting with each run, all in the same field. */
    private static BooleanPredicateClausesStep<?> anyField(SearchPredicateFactory f, List<String> fields,
                                                          List<String> runs) {
        BooleanPredicateClausesStep<?> any = f.bool().should(f.match().field(MessageIndexBinder.PARTIAL)
                .matching(true));
        for (String field : fields) {
            BooleanPredicateClausesStep<?> all = f.bool();
            for (String run : runs) {
                all.filter(f.prefix().field(field).matching(run));
            }
            any.should(all);
        }
        return any;
    }

    private static SearchKey.Uids uids(long[]... sets) {
        int n = 0;
        for (long[] s : sets) {
            n += s.length;
        }
        long[] all = new long[n];
        int i = 0;
        for (long[] s : sets) {
            System.arraycopy(s, 0, all, i, s.length);
            i += s.length;
        }
        UidRanges ranges = UidRanges.of(all);
        long[][] out = new long[ranges.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = new long[] {ranges.low(r), ranges.high(r)};
        }
        return new SearchKey.Uids(out);
    }
}
