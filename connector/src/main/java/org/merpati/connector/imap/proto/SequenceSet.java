package org.merpati.connector.imap.proto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A sequence set as written by the client (RFC 9051 {@code sequence-set}): ranges of numbers where
 * {@code *} stands for the largest number in use, or {@code $} (RFC 5182 SEARCHRES) for the saved search
 * result. Whether the numbers are message sequence numbers or UIDs depends on the command.
 *
 * @param ranges pairs {@code [from, to]} as given ({@link #STAR} for {@code *}), not normalised
 * @param saved  whether it is {@code $}
 */
public record SequenceSet(List<long[]> ranges, boolean saved) {

    /** Stands for {@code *}. */
    public static final long STAR = -1;
    /** UIDs and sequence numbers are 32-bit unsigned. */
    public static final long MAX = 0xffffffffL;

    public SequenceSet {
        ranges = List.copyOf(ranges);
    }

    public static SequenceSet parse(String text) throws ImapSyntaxException {
        ImapArgs args = new ImapArgs(RawCommand.of(text));
        SequenceSet set = parse(args);
        args.end();
        return set;
    }

    public static SequenceSet parse(ImapArgs args) throws ImapSyntaxException {
        if (args.consume('$')) {
            return new SequenceSet(List.of(), true);
        }
        List<long[]> ranges = new ArrayList<>();
        do {
            long from = element(args);
            long to = args.consume(':') ? element(args) : from;
            ranges.add(new long[] {from, to});
        } while (args.consume(','));
        return new SequenceSet(ranges, false);
    }

    private static long element(ImapArgs args) throws ImapSyntaxException {
        if (args.consume('*')) {
            return STAR;
        }
        long n = args.nzNumber();
        if (n > MAX) {
            throw new ImapSyntaxException("number out of range");
        }
        return n;
    }

    /**
     * The ranges with {@code *} replaced by {@code largest} and each pair ordered, as {@code [lo, hi]}. With an
     * empty mailbox ({@code largest == 0}) a range using {@code *} resolves to nothing.
     */
    public long[][] resolve(long largest) {
        List<long[]> out = new ArrayList<>();
        for (long[] r : ranges) {
            if ((r[0] == STAR || r[1] == STAR) && largest == 0) {
                continue;
            }
            long a = r[0] == STAR ? largest : r[0];
            long b = r[1] == STAR ? largest : r[1];
            out.add(new long[] {Math.min(a, b), Math.max(a, b)});
        }
        return out.toArray(new long[0][]);
    }

    /** Whether {@code n} lies in one of the resolved ranges. */
    public static boolean contains(long[][] resolved, long n) {
        for (long[] r : resolved) {
            if (n >= r[0] && n <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** Compact text for sorted numbers: {@code 1:3,7,9:10}. Empty for none. */
    public static String format(long[] sorted) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(sorted[i]);
            if (j > i) {
                sb.append(':').append(sorted[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }

    /** Sorted, distinct copy. */
    public static long[] sortedDistinct(long[] values) {
        return Arrays.stream(values).sorted().distinct().toArray();
    }

    @Override
    public String toString() {
        if (saved) {
            return "$";
        }
        StringBuilder sb = new StringBuilder();
        for (long[] r : ranges) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(r[0] == STAR ? "*" : Long.toString(r[0]));
            if (r[1] != r[0]) {
                sb.append(':').append(r[1] == STAR ? "*" : Long.toString(r[1]));
            }
        }
        return sb.toString();
    }
}
