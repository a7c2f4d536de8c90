package org.merpati.ejb.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchTermsTest {

    private record Case(String needle, List<String> runs, boolean exact) {
    }

    @Test
    void needlesBecomeRunsAndOnlyWholeWordsOfIndexableLengthAreExact() {
        List<Case> cases = List.of(
                new Case("Invoice", List.of("invoice"), true),
                new Case("voic", List.of("voic"), true),
                new Case("abc", List.of("abc"), true),
                new Case("ab", List.of(), false),
                new Case("", List.of(), false),
                new Case("hello world", List.of("hello", "world"), false),
                new Case("john.doe@ex", List.of("john", "doe"), false),
                new Case("@@", List.of(), false),
                new Case(" word", List.of("word"), false),
                new Case("GRÜßE", List.of("grüße"), true),
                new Case("x".repeat(40), List.of("x".repeat(SearchTerms.MAX_TERM)), false));
        for (Case c : cases) {
            SearchTerms.Needle needle = SearchTerms.needle(c.needle());
            assertEquals(c.runs(), needle.runs(), c.needle());
            assertEquals(c.exact(), needle.exact(), c.needle());
        }
    }

    @Test
    void tokensAreIndexedAsSuffixesOfAtLeastThreeCharacters() {
        assertEquals(Set.of("hello", "ello", "llo", "world", "orld", "rld"), SearchTerms.termsOf("Hello, WORLD!"));
        assertEquals(Set.of(), SearchTerms.termsOf("a to be"));
        assertEquals(Set.of("x".repeat(SearchTerms.MAX_TERM), "x".repeat(SearchTerms.MAX_TERM - 1), "xxx"),
                Set.copyOf(SearchTerms.termsOf("x".repeat(40)).stream()
                        .filter(t -> t.length() == SearchTerms.MAX_TERM || t.length() == SearchTerms.MAX_TERM - 1
                                || t.length() == 3).toList()));
    }

    @Test
    void everyRunOfAContainedNeedleStartsSomeTerm() {
        String text = "Re: Quarterly-Report (final) for ACME.Corp 2026";
        Set<String> terms = SearchTerms.termsOf(text);
        for (String needle : List.of("uarterly-rep", "acme.corp", "nal) for", "2026", "report (fin")) {
            assertTrue(text.toLowerCase().contains(needle));
            for (String run : SearchTerms.needle(needle).runs()) {
                assertTrue(terms.stream().anyMatch(t -> t.startsWith(run)), needle + " / " + run);
            }
        }
    }

    @Test
    void bodyTextIsFoldedPerCharacterAndPartsDoNotJoin() {
        SearchTerms.Collector collector = new SearchTerms.Collector(1000);
        for (char c : "ABC".toCharArray()) {
            collector.text(c);
        }
        collector.partStart();
        for (char c : "def".toCharArray()) {
            collector.text(c);
        }
        collector.finish();
        assertEquals(Set.of("abc", "def"), collector.terms());
    }

    @Test
    void limitsMakeTheMessagePartial() {
        SearchTerms.Collector small = new SearchTerms.Collector(5);
        assertTrue(small.headerField("abc"));
        assertFalse(small.headerField("defghi"), "out of characters");
        assertTrue(small.partial());

        SearchTerms.Collector many = new SearchTerms.Collector(Integer.MAX_VALUE);
        boolean going = true;
        for (int i = 0; going && i < SearchTerms.MAX_TERMS * 2; i++) {
            going = many.headerField("w" + i + "x");
        }
        assertTrue(many.partial(), "too many terms");
    }
}
