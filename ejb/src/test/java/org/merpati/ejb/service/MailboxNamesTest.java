package org.merpati.ejb.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailAccessException.Kind;

class MailboxNamesTest {

    @Test
    void canonicalForms() throws Exception {
        String[][] table = {
            {"INBOX", "INBOX"},
            {"inbox", "INBOX"},
            {"InBoX/Sub", "INBOX/Sub"},
            {"Inboxes", "Inboxes"},
            {"Work/inbox", "Work/inbox"},
            {"Caf\u0065\u0301", "Caf\u00e9"}, // NFC
            {"Sent Items", "Sent Items"},
            {"日本語/メール", "日本語/メール"},
        };
        for (String[] row : table) {
            assertEquals(row[1], MailboxNames.canonical(row[0]), row[0]);
        }
    }

    @Test
    void invalidNames() {
        for (String bad : new String[] {null, "", "*", "a%b", "/a", "a/", "a//b", "a\rb", "a\u0085b", "\u007f",
            "x".repeat(MailboxNames.MAX_LENGTH + 1), "a/".repeat(MailboxNames.MAX_DEPTH) + "a"}) {
            MailAccessException e = assertThrows(MailAccessException.class, () -> MailboxNames.canonical(bad),
                    String.valueOf(bad));
            assertEquals(Kind.INVALID, e.kind());
        }
    }

    @Test
    void parentsAndChildren() {
        assertEquals(List.of("a", "a/b"), MailboxNames.parents("a/b/c"));
        assertEquals(List.of(), MailboxNames.parents("a"));
        assertEquals(true, MailboxNames.isSelfOrChild("a/b", "a"));
        assertEquals(true, MailboxNames.isSelfOrChild("a", "a"));
        assertEquals(false, MailboxNames.isSelfOrChild("ab", "a"));
    }

    @Test
    void specialUse() throws Exception {
        assertEquals("\\Sent", MailboxNames.storedSpecialUse("\\SENT"));
        assertEquals("\\Archive", MailboxNames.storedSpecialUse("\\archive"));
        assertEquals(null, MailboxNames.storedSpecialUse(null));
        for (String refused : List.of("\\All", "\\Flagged", "\\Important", "Sent")) {
            MailAccessException e = assertThrows(MailAccessException.class,
                    () -> MailboxNames.storedSpecialUse(refused));
            assertEquals(Kind.CANNOT, e.kind());
        }
    }
}
