package org.merpati.ejb.storage.jpa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of UIDs as sorted, disjoint, non-adjacent inclusive ranges. Queries take a few ranges at a time
 * ({@link #batches}), so a request for many UIDs never becomes one huge IN list and a request for a few
 * never reads the whole mailbox.
 */
public final class UidRanges {

    /** Ranges per query: keeps the SQL text and bind parameter count small on every database. */
    public static final int RANGES_PER_QUERY = 64;

    private final long[][] ranges;

    private UidRanges(long[][] ranges) {
        this.ranges = ranges;
    }

    /** From UIDs in any order, duplicates allowed; UIDs below 1 are ignored. */
    public static UidRanges of(long[] uids) {
        long[] sorted = Arrays.stream(uids).filter(u -> u > 0).sorted().distinct().toArray();
        List<long[]> out = new ArrayList<>();
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            out.add(new long[] {sorted[i], sorted[j]});
            i = j + 1;
        }
        return new UidRanges(out.toArray(new long[0][]));
    }

    /** From inclusive ranges in any order, possibly overlapping or reversed ({@code 5:3}). */
    public static UidRanges ofRanges(long[][] ranges) {
        List<long[]> sorted = new ArrayList<>();
        for (long[] r : ranges) {
            long lo = Math.max(1, Math.min(r[0], r[1]));
            long hi = Math.max(r[0], r[1]);
            if (hi >= lo) {
                sorted.add(new long[] {lo, hi});
            }
        }
        sorted.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : sorted) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(new long[] {r[0], r[1]});
            }
        }
        return new UidRanges(merged.toArray(new long[0][]));
    }

    public boolean isEmpty() {
        return ranges.length == 0;
    }

    public int size() {
        return ranges.length;
    }

    public long low(int i) {
        return ranges[i][0];
    }

    public long high(int i) {
        return ranges[i][1];
    }

    public long min() {
        return ranges.length == 0 ? 0 : ranges[0][0];
    }

    public long max() {
        return ranges.length == 0 ? 0 : ranges[ranges.length - 1][1];
    }

    public boolean contains(long uid) {
        int lo = 0;
        int hi = ranges.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (uid < ranges[mid][0]) {
                hi = mid - 1;
            } else if (uid > ranges[mid][1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Consecutive groups of at most {@code perBatch} ranges, in ascending order. */
    public List<UidRanges> batches(int perBatch) {
        List<UidRanges> out = new ArrayList<>();
        for (int i = 0; i < ranges.length; i += perBatch) {
            out.add(new UidRanges(Arrays.copyOfRange(ranges, i, Math.min(ranges.length, i + perBatch))));
        }
        return out;
    }

    /**
     * A JPQL condition on {@code alias.uid} for these ranges, with parameters named {@code prefix0..n};
     * bind them with {@link #bind}.
     */
    public String condition(String alias, String prefix) {
        StringBuilder sql = new StringBuilder("(");
        for (int i = 0; i < ranges.length; i++) {
            if (i > 0) {
                sql.append(" or ");
            }
            if (ranges[i][0] == ranges[i][1]) {
                sql.append(alias).append(".uid = :").append(prefix).append(i).append('a');
            } else {
                sql.append(alias).append(".uid between :").append(prefix).append(i).append("a and :")
                        .append(prefix).append(i).append('b');
            }
        }
        return sql.append(ranges.length == 0 ? "1 = 0)" : ")").toString();
    }

    public void bind(jakarta.persistence.Query query, String prefix) {
        bind((name, value) -> query.setParameter(name, value), prefix);
    }

    public void bind(java.util.function.BiConsumer<String, Object> sink, String prefix) {
        for (int i = 0; i < ranges.length; i++) {
            sink.accept(prefix + i + "a", ranges[i][0]);
            if (ranges[i][0] != ranges[i][1]) {
                sink.accept(prefix + i + "b", ranges[i][1]);
            }
        }
    }
}
