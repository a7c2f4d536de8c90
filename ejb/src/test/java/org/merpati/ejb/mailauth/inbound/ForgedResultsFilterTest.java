package org.merpati.ejb.mailauth.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8601 section 5: incoming Authentication-Results claiming our authserv-id are removed, nothing else. */
class ForgedResultsFilterTest {

    private static String filter(String message) throws IOException {
        try (InputStream in = new ForgedResultsFilter(
                new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), "mx.merpati.example")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void removesOursKeepsOthersAndTheBody() throws IOException {
        String message = "Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
                + "Authentication-Results: mx.merpati.example; dmarc=pass header.from=bank.example\r\n"
                + "Authentication-Results: relay.example.org;\r\n\tspf=pass smtp.mailfrom=x@example.org\r\n"
                + "authentication-results:\r\n (forged, folded) MX.MERPATI.EXAMPLE;\r\n\tdkim=pass\r\n"
                + "ARC-Authentication-Results: i=1; mx.merpati.example; spf=pass\r\n"
                + "Subject: Authentication-Results: mx.merpati.example; x\r\n"
                + "\r\n"
                + "Authentication-Results: mx.merpati.example; in the body stays\r\n";
        assertEquals("Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\r\n"
                + "Authentication-Results: relay.example.org;\r\n\tspf=pass smtp.mailfrom=x@example.org\r\n"
                + "ARC-Authentication-Results: i=1; mx.merpati.example; spf=pass\r\n"
                + "Subject: Authentication-Results: mx.merpati.example; x\r\n"
                + "\r\n"
                + "Authentication-Results: mx.merpati.example; in the body stays\r\n", filter(message));
    }

    @Test
    void bareLineFeedsAndNoBody() throws IOException {
        assertEquals("To: a@b\n", filter("Authentication-Results: mx.merpati.example; none\nTo: a@b\n"));
        assertEquals("To: a@b", filter("To: a@b"));
    }

    @Test
    void overlongForgedFieldIsDroppedWhole() throws IOException {
        String longValue = "x".repeat(ForgedResultsFilter.MAX_HELD * 3);
        String message = "Authentication-Results: mx.merpati.example; spf=pass (" + longValue + ")\r\n\t" + longValue
                + "\r\nSubject: s\r\n\r\nbody";
        assertEquals("Subject: s\r\n\r\nbody", filter(message));
    }

    @Test
    void overlongOtherFieldIsKeptWhole() throws IOException {
        String longValue = "y".repeat(ForgedResultsFilter.MAX_HELD * 2 + 17);
        String message = "X-Long: " + longValue + "\r\n\t" + longValue + "\r\nSubject: s\r\n\r\nbody";
        assertEquals(message, filter(message));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            " mx.example; spf=pass|mx.example",
            "mx.example;|mx.example",
            " (comment (nested)) mx.example 1; none|mx.example",
            " \"quoted\\\"id\"; none|quoted\"id",
            " |",
    })
    void authservId(String value, String id) {
        assertEquals(id, ForgedResultsFilter.authservId(value));
    }
}
