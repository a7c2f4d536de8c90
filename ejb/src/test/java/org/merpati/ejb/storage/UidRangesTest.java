package org.merpati.ejb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.merpati.ejb.storage.jpa.UidRanges;

class UidRangesTest {

    @Test
    void compressesSortsAndBatches() {
        UidRanges r = UidRanges.of(new long[] {7, 3, 4, 5, 5, 0, -2, 10});
        assertEquals(3, r.size());
        assertEquals(3, r.min());
        assertEquals(10, r.max());
        assertTrue(r.contains(4));
        assertFalse(r.contains(6));
        assertEquals("(m.uid between :u0a and :u0b or m.uid = :u1a or m.uid = :u2a)", r.condition("m", "u"));
        Map<String, Object> params = new HashMap<>();
        r.bind(params::put, "u");
        assertEquals(Map.of("u0a", 3L, "u0b", 5L, "u1a", 7L, "u2a", 10L), params);
        assertEquals(2, r.batches(2).size());
        assertEquals(10, r.batches(2).get(1).min());
    }

    @Test
    void rangesMergeWhenTheyOverlapOrTouch() {
        UidRanges r = UidRanges.ofRanges(new long[][] {{9, 5}, {1, 2}, {3, 3}, {10, 12}, {0, 0}});
        assertEquals(2, r.size());
        assertEquals(1, r.low(0));
        assertEquals(3, r.high(0));
        assertEquals(5, r.low(1));
        assertEquals(12, r.high(1));
    }
}
