package org.merpati.ejb.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The header section scan and the RFC 6409 section 8 fix-ups, on messages as the spool holds them. */
class HeaderFixupsTest {

    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 22, 8, 30, 0, 0, ZoneOffset.ofHours(7));
    private static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <[0-9a-f]{32}@mail\\.example\\.com>\r\n");

    private static SubmittedHeaders scan(String message) throws IOException {
        return SubmittedHeaders.scan(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    /** The message as submission writes it, with "Received: x" standing for the trace field. */
    private static String fixed(String message) throws IOException {
        SubmittedHeaders headers = scan(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = HeaderFixups.write(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), headers,
                "Received: x\r\n", HeaderFixups.missingFields(headers, "mail.example.com", NOW), out);
        assertEquals(out.size(), n, "the returned size is the bytes written");
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void missingMessageIdAndDateAreAddedAtTheEndOfTheHeader() throws IOException {
        String out = fixed("From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n");
        String expectedStart = "Received: x\r\nFrom: a@example.com\r\nSubject: hi\r\n"
                + "Date: Sun, 22 Nov 2026 08:30:00 +0700\r\n";
        assertTrue(out.startsWith(expectedStart), out);
        String rest = out.substring(expectedStart.length());
        assertTrue(MESSAGE_ID.matcher(rest).lookingAt(), rest);
        assertTrue(rest.endsWith(">\r\n\r\nbody\r\n"), rest);
    }

    @Test
    void existingMessageIdAndDateAreKeptUnchanged() throws IOException {
        String message = "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\nFrom: a@example.com\r\n"
                + "message-id: <own@client.example>\r\n\r\nbody\r\n";
        assertEquals("Received: x\r\n" + message, fixed(message));
    }

    @Test
    void anEmptyMessageIdFieldIsTheAuthorsAndKept() throws IOException {
        SubmittedHeaders headers = scan("From: a@example.com\r\nMessage-ID:\r\nDate: x\r\n\r\n");
        assertEquals("", HeaderFixups.missingFields(headers, "h", NOW));
    }

    @Test
    void headerOnlyMessageGetsTheFieldsAppended() throws IOException {
        String out = fixed("From: a@example.com\r\nSubject: no body\r\n");
        assertTrue(out.startsWith("Received: x\r\nFrom: a@example.com\r\nSubject: no body\r\nDate: "), out);
        assertTrue(out.endsWith(">\r\n"), out);
        assertFalse(out.contains("\r\n\r\n"), "no body, so no empty line is invented: " + out);
    }

    @Test
    void headerOnlyMessageWithoutFinalLineEndIsTerminatedBeforeTheAddedFields() throws IOException {
        String out = fixed("From: a@example.com\r\nSubject: cut");
        assertTrue(out.startsWith("Received: x\r\nFrom: a@example.com\r\nSubject: cut\r\nDate: "), out);
    }

    @Test
    void aBodyLineWithoutTheEmptyLineBeforeItGetsOne() throws IOException {
        String out = fixed("From: a@example.com\r\nthis is not a header line\r\nmore\r\n");
        assertTrue(out.contains(">\r\n\r\nthis is not a header line\r\nmore\r\n"), out);
    }

    @Test
    void bodyBytesAreCopiedExactly() throws IOException {
        String body = "line one\r\n\r\nFrom: not a header any more\r\n.\r\n\u00e9t\u00e9\r\n";
        String message = "From: a@example.com\r\nDate: d\r\nMessage-ID: <m@x>\r\n\r\n" + body;
        assertTrue(fixed(message).endsWith("\r\n\r\n" + body));
    }

    @Test
    void foldedFromIsUnfolded() throws IOException {
        SubmittedHeaders headers = scan("From: \"Alice\r\n Example\" <alice@example.com>,\r\n\tbob@example.com\r\n"
                + "Subject: x\r\n\r\n");
        assertEquals(List.of("alice@example.com", "bob@example.com"), headers.authors().from());
    }

    @Test
    void multipleFromAddressesAndSenderAreAllAuthors() throws IOException {
        SubmittedHeaders.Authors authors = scan("From: a@example.com, B <b@example.com>\r\n"
                + "Sender: c@example.com\r\n\r\n").authors();
        assertNull(authors.problem());
        assertEquals(List.of("a@example.com", "b@example.com"), authors.from());
        assertEquals(List.of("a@example.com", "b@example.com", "c@example.com"), authors.all());
    }

    @Test
    void everyFromFieldCounts() throws IOException {
        SubmittedHeaders.Authors authors = scan("From: a@example.com\r\nFROM: evil@example.net\r\n\r\n").authors();
        assertEquals(List.of("a@example.com", "evil@example.net"), authors.from());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no From field                 | Subject: x\\r\\n\\r\\nbody\\r\\n                          | Message has no From header field",
        "empty From                    | From:\\r\\n\\r\\n                                       | From header field names no mailbox",
        "bare group (RFC 6854)         | From: undisclosed-recipients:;\\r\\n\\r\\n              | From header field names no mailbox",
        "local part only               | From: alice\\r\\n\\r\\n                                 | Malformed address in From or Sender header field",
        "empty message                 | ''                                                  | Message has no From header field",
        "From after the header ended   | Subject: x\\r\\n\\r\\nFrom: a@example.com\\r\\n           | Message has no From header field",
        "mbox From_ line is no field   | From a@example.com Mon Jan 1\\r\\nFrom: a@b.c\\r\\n\\r\\n | Message has no From header field",
    })
    void headersThatNameNoAuthorAreRefused(String name, String message, String problem) throws IOException {
        assertEquals(problem, scan(message.replace("\\r\\n", "\r\n")).authors().problem(), name);
    }

    @Test
    void groupMembersInFromAreAuthors() throws IOException {
        SubmittedHeaders.Authors authors = scan("From: team: a@example.com, b@example.com;\r\n\r\n").authors();
        assertNull(authors.problem());
        assertEquals(List.of("a@example.com", "b@example.com"), authors.from());
    }

    @Test
    void tooManyAuthorsAreRefused() throws IOException {
        StringBuilder from = new StringBuilder("From: a0@example.com");
        for (int i = 1; i <= SubmittedHeaders.MAX_AUTHORS; i++) {
            from.append(",\r\n a").append(i).append("@example.com");
        }
        assertEquals("Too many addresses in From and Sender header fields",
                scan(from + "\r\n\r\n").authors().problem());
    }

    @Test
    void anOversizedFromIsRefusedNotKept() throws IOException {
        String huge = "From: " + "x".repeat(SubmittedHeaders.MAX_KEPT_CHARS + 10) + "@example.com\r\n\r\n";
        SubmittedHeaders headers = scan(huge);
        assertTrue(headers.oversized());
        assertEquals("From or Sender header field too long", headers.authors().problem());
    }

    @Test
    void longOtherFieldsAreSkippedAndTheOffsetsStayExact() throws IOException {
        String references = "References: " + "<r@x> ".repeat(20_000) + "\r\n";
        String message = references + "From: a@example.com\r\n\r\nbody\r\n";
        SubmittedHeaders headers = scan(message);
        assertEquals(message.indexOf("\r\n\r\n") + 2, headers.headerEnd());
        assertTrue(headers.emptyLineFollows());
        assertEquals(List.of("a@example.com"), headers.authors().from());
        assertFalse(headers.oversized());
    }

    @Test
    void lfOnlyLinesAreUnderstood() throws IOException {
        SubmittedHeaders headers = scan("From: a@example.com\nDate: x\n\nbody\n");
        assertEquals(List.of("a@example.com"), headers.authors().from());
        assertTrue(headers.hasDate());
        assertEquals("From: a@example.com\nDate: x\n".length(), headers.headerEnd());
    }

    @Test
    void messageIdsAreUniqueAndUseTheHostname() {
        String a = HeaderFixups.newMessageId("mail.example.com");
        String b = HeaderFixups.newMessageId("mail.example.com");
        assertFalse(a.equals(b));
        assertTrue(a.matches("<[0-9a-f]{32}@mail\\.example\\.com>"), a);
        assertTrue(HeaderFixups.newMessageId("bad host\r\nX: y").matches("<[0-9a-f]{32}@badhostXy>"));
    }
}
