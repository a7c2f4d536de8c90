package org.merpati.ejb.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailAccessException.Kind;

class ImapFlagsTest {

    private static ImapFlags flags(String... f) throws MailAccessException {
        return ImapFlags.parse(List.of(f));
    }

    @Test
    void operations() throws Exception {
        ImapFlags current = flags("\\Seen", "Work");
        Object[][] table = {
            {FlagOperation.ADD, flags("\\Flagged", "work", "$Late"), Set.of("\\Seen", "\\Flagged", "Work", "$Late")},
            {FlagOperation.REMOVE, flags("\\seen", "WORK"), Set.of()},
            {FlagOperation.REMOVE, flags("\\Deleted"), Set.of("\\Seen", "Work")},
            {FlagOperation.REPLACE, flags("\\Draft"), Set.of("\\Draft")},
        };
        for (Object[] row : table) {
            ImapFlags result = current.apply((FlagOperation) row[0], (ImapFlags) row[1]);
            assertEquals(row[2], result.toImap(), row[0].toString());
        }
        assertTrue(current.sameAs(flags("work", "\\SEEN")));
        assertFalse(current.sameAs(flags("\\Seen")));
        assertEquals("Work", current.keywordColumn());
        assertEquals(null, flags("\\Seen").keywordColumn());
        assertTrue(current.contains("\\SEEN"));
        assertTrue(current.contains("WORK"));
        assertFalse(current.contains("\\Recent"));
    }

    @Test
    void refusedFlags() {
        for (String bad : List.of("\\Recent", "\\Unknown", "", "a b", "a(b", "a*", "caf\u00e9", "x]")) {
            MailAccessException e = assertThrows(MailAccessException.class, () -> flags(bad), bad);
            assertEquals(Kind.INVALID, e.kind(), bad);
        }
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= ImapFlags.MAX_KEYWORDS; i++) {
            many.add("k" + i);
        }
        assertEquals(Kind.LIMIT, assertThrows(MailAccessException.class, () -> ImapFlags.parse(many)).kind());
    }

    @Test
    void columnRoundTrip() throws Exception {
        ImapFlags f = ImapFlags.of(true, false, true, false, true, "$A  b");
        assertEquals(Set.of("\\Seen", "\\Flagged", "\\Draft", "$A", "b"), f.toImap());
    }
}
