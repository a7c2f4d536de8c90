package org.merpati.ejb.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.merpati.ejb.mime.MessageTextScanner;

/**
 * The index's vocabulary, chosen so that the index can answer IMAP's substring semantics and never miss.
 *
 * <p>Text is cut into <em>tokens</em>: maximal runs of letters and digits after the scanner's own case
 * folding ({@link Character#toLowerCase(char)} per character for body text, {@code toLowerCase(ROOT)} for
 * header fields, exactly as {@link MessageTextScanner} compares). A token is indexed as all its suffixes of
 * at least {@link #MIN_TERM} characters, each cut to {@link #MAX_TERM} characters. A needle is cut the same
 * way into runs; a run occurs inside the text exactly when some indexed term starts with it, so a prefix
 * query per run is
 * <ul>
 *   <li>never too narrow: a needle found by the scanner has each of its runs inside one token of the text,
 *       hence as the start of one of that token's suffixes;</li>
 *   <li>exact when the whole needle is one run of {@code MIN_TERM..MAX_TERM} characters (a word or a
 *       part of a word, the common IMAP client search);</li>
 *   <li>a superset otherwise (several runs, punctuation, spaces, a run longer than {@code MAX_TERM}):
 *       the scanner confirms the candidates. Runs shorter than {@code MIN_TERM} narrow nothing.</li>
 * </ul>
 * A message whose text exceeds {@link #MAX_TEXT_CHARS} or yields more than {@link #MAX_TERMS} terms is
 * indexed as <em>partial</em>: it is a candidate for every text search and the scanner decides.
 */
public final class SearchTerms {

    /** Shortest run the index answers; a suffix shorter than this is not indexed. */
    public static final int MIN_TERM = 3;

    /** Longest indexed term; longer needle runs are cut to this and confirmed by the scanner. */
    public static final int MAX_TERM = 32;

    /** Characters of text (headers and body) indexed per message: 1 Mi. */
    public static final int MAX_TEXT_CHARS = 1 << 20;

    /** Distinct terms per field and message; above this the message is indexed as partial. */
    public static final int MAX_TERMS = 50_000;

    private SearchTerms() {
    }

    /** A needle as the index sees it. */
    public record Needle(List<String> runs, boolean exact) {

        /** Whether the index can narrow at all (some run is long enough). */
        public boolean usable() {
            return !runs.isEmpty();
        }
    }

    /**
     * The prefixes to query for a SEARCH needle: its runs of letters and digits (folded as the scanner folds
     * needles), cut to {@link #MAX_TERM}, without those shorter than {@link #MIN_TERM}.
     */
    public static Needle needle(String value) {
        String lower = value == null ? "" : value.toLowerCase(Locale.ROOT);
        List<String> runs = new ArrayList<>();
        List<String> all = tokens(lower);
        for (String run : all) {
            if (run.length() >= MIN_TERM) {
                runs.add(run.length() > MAX_TERM ? run.substring(0, MAX_TERM) : run);
            }
        }
        boolean exact = all.size() == 1 && all.get(0).length() == lower.length()
                && lower.length() >= MIN_TERM && lower.length() <= MAX_TERM;
        return new Needle(List.copyOf(runs), exact);
    }

    /** The maximal runs of letters and digits, in order. */
    static List<String> tokens(String folded) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= folded.length(); i++) {
            boolean inToken = i < folded.length() && Character.isLetterOrDigit(folded.charAt(i));
            if (inToken && start < 0) {
                start = i;
            } else if (!inToken && start >= 0) {
                out.add(folded.substring(start, i));
                start = -1;
            }
        }
        return out;
    }

    /** The terms of one short value (a header field): suffixes of its tokens, folded as headers are. */
    public static Set<String> termsOf(String value) {
        Collector collector = new Collector(MAX_TEXT_CHARS);
        if (value != null) {
            collector.headerField(value);
        }
        collector.finish();
        return collector.partial() ? Set.of() : collector.terms();
    }

    /**
     * Collects terms from what the scanner walks; stops (returning false) when a limit is reached, which
     * marks it {@link #partial()}. Header fields and body text are folded as the scanner folds them.
     */
    public static final class Collector implements MessageTextScanner.TextSink {

        private final Set<String> terms = new HashSet<>();
        private final StringBuilder token = new StringBuilder();
        private int charsLeft;
        private boolean partial;

        /** @param charBudget how many characters this collector may still read (shared limits: pass what is left) */
        public Collector(int charBudget) {
            this.charsLeft = charBudget;
        }

        @Override
        public boolean headerField(String field) {
            endToken();
            String folded = field.toLowerCase(Locale.ROOT);
            for (int i = 0; i < folded.length(); i++) {
                if (!add(folded.charAt(i))) {
                    return false;
                }
            }
            return endToken();
        }

        @Override
        public void partStart() {
            endToken();
        }

        @Override
        public boolean text(char c) {
            return add(Character.toLowerCase(c));
        }

        private boolean add(char folded) {
            if (partial) {
                return false;
            }
            if (--charsLeft < 0) {
                partial = true;
                return false;
            }
            if (Character.isLetterOrDigit(folded)) {
                token.append(folded);
                // a run longer than the term budget cannot be indexed completely anyway
                if (token.length() - MIN_TERM + 1 > MAX_TERMS) {
                    partial = true;
                    return false;
                }
                return true;
            }
            return endToken();
        }

        private boolean endToken() {
            int length = token.length();
            for (int i = 0; i + MIN_TERM <= length && !partial; i++) {
                terms.add(token.substring(i, Math.min(length, i + MAX_TERM)));
                if (terms.size() > MAX_TERMS) {
                    partial = true;
                }
            }
            token.setLength(0);
            return !partial;
        }

        /** Ends the last token; call once the walk is over. */
        public void finish() {
            endToken();
        }

        /** Characters of budget left (for the next collector of the same message). */
        public int charsLeft() {
            return Math.max(0, charsLeft);
        }

        public boolean partial() {
            return partial;
        }

        public Set<String> terms() {
            return terms;
        }
    }
}
