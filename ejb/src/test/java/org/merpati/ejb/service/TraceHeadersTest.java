package org.merpati.ejb.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.merpati.connector.api.SessionInfo;

class TraceHeadersTest {

    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 22, 8, 30, 0, 0, ZoneOffset.ofHours(7));

    private static SessionInfo session(String helo) {
        return new SessionInfo("s1", "ESMTP", "192.0.2.7", 40000, helo, "192.0.2.1", 25, null, null, null);
    }

    @Test
    void returnPathAndReceivedWithForClauseForOneRecipient() {
        String text = new String(TraceHeaders.build(session("client.example"), "a@b.example", "rcpt@local.test",
                "mx.local.test", "abc123", NOW), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Return-Path: <a@b.example>\r\nReceived: from client.example (192.0.2.7)"), text);
        String unfolded = text.replace("\r\n\t", " ");
        assertTrue(unfolded.contains("by mx.local.test (Merpati) with ESMTP id abc123 for <rcpt@local.test>;"
                + " Sun, 22 Nov 2026 08:30:00 +0700\r\n"), unfolded);
    }

    @Test
    void noForClauseWithSeveralRecipientsAndNullSender() {
        String text = new String(TraceHeaders.build(session("c"), "", null, "mx", "id", NOW), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Return-Path: <>\r\n"));
        assertFalse(text.contains(" for "));
    }

    /** After GreenMail's SmtpReceivedHeaderInjectionTest: HELO and addresses cannot add header lines. */
    @Test
    void receivedHeaderInjectionIsNeutralized() {
        String text = new String(TraceHeaders.build(session("evil\r\nX-Injected: yes"), "a@b\r\nX-Bad: 1",
                "r@l\nX-Worse: 2", "mx", "id", NOW), StandardCharsets.UTF_8);
        for (String line : text.split("\r\n")) {
            assertTrue(line.startsWith("Return-Path:") || line.startsWith("Received:") || line.startsWith("\t"), line);
        }
        assertFalse(text.contains("\nX-"));
        assertFalse(text.replace("\r\n", "").contains("\r") || text.replace("\r\n", "").contains("\n"),
                "no bare CR or LF survives");
        assertEquals(2, text.split("\r\n(?!\t)").length);
    }
}
