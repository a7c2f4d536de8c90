package org.merpati.ejb.mailauth.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The header block reader: unfolding, line ends, the mbox separator, the size cap, where the body starts. */
class MessageHeaderTest {

    private static List<String> raws(String text) {
        return MessageHeader.parse(text).fields().stream().map(HeaderField::raw).toList();
    }

    @Test
    void foldedFieldsKeepTheirFoldingAndBareLfBecomesCrlf() {
        assertEquals(List.of("Subject: a\r\n\tb", "To: x"), raws("Subject: a\n\tb\nTo: x\n\nbody"));
    }

    @Test
    void namesLoseWhitespaceBeforeTheColon() {
        HeaderField field = MessageHeader.parse("From : Joe <j@x>\r\n\r\n").fields().get(0);
        assertEquals("From", field.name());
        assertEquals(" Joe <j@x>", field.value());
    }

    @Test
    void anMboxSeparatorIsSkippedButAnObsoleteFromFieldIsNot() {
        assertEquals(List.of("Subject: s"), raws("From alice@example.com Tue Dec  1 09:00:00 2026\r\nSubject: s\r\n\r\n"));
        assertEquals(List.of("From : Joe <j@x>"), raws("From : Joe <j@x>\r\n\r\n"));
    }

    @Test
    void theStreamIsLeftAtTheFirstBodyByte() throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream("A: 1\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        MessageHeader.read(in, 1000);
        assertEquals("body\r\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void aMessageWithoutBodyOrFinalNewlineIsAllHeader() {
        assertEquals(List.of("A: 1", "B: 2"), raws("A: 1\r\nB: 2"));
    }

    @Test
    void theCapCountsLongLinesToo() {
        String longLine = "X: " + "a".repeat(5000) + "\r\n\r\n";
        assertThrows(HeaderTooLargeException.class, () -> MessageHeader.read(
                new ByteArrayInputStream(longLine.getBytes(StandardCharsets.US_ASCII)), 1024));
        String manyLines = "X: a\r\n".repeat(500) + "\r\n";
        assertThrows(HeaderTooLargeException.class, () -> MessageHeader.read(
                new ByteArrayInputStream(manyLines.getBytes(StandardCharsets.US_ASCII)), 1024));
    }

    @Test
    void tagListsParseValuesSpansAndRejectDuplicates() {
        TagList tags = TagList.parse(" v = 1 ;\r\n b= ab\r\n  cd ; bh=x;");
        assertEquals("1", tags.get("v"));
        assertEquals("ab\r\n  cd", tags.get("b"));
        assertEquals("abcd", TagList.compactBase64(tags.get("b")));
        assertEquals(" ab\r\n  cd ", " v = 1 ;\r\n b= ab\r\n  cd ; bh=x;".substring(tags.span("b").start(), tags.span("b").end()));
        assertThrows(IllegalArgumentException.class, () -> TagList.parse("a=1; a=2"));
        assertThrows(IllegalArgumentException.class, () -> TagList.parse("a=1; junk"));
        assertThrows(IllegalArgumentException.class, () -> TagList.parse("1a=1"));
    }
}
