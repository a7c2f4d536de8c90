package org.merpati.ejb.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.merpati.connector.api.SessionInfo;
import org.merpati.ejb.service.TraceHeaders;

/** The Received field of submitted mail, and what a client can and cannot put into it. */
class SubmissionTraceTest {

    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 22, 8, 30, 0, 0, ZoneOffset.UTC);

    private static SessionInfo session(String helo, String user) {
        return new SessionInfo("s1", "ESMTPSA", "2001:db8::7", 50000, helo, "192.0.2.1", 465, "TLSv1.3", "x", user);
    }

    @Test
    void namesClientAccountAndEsmtpsa() {
        String field = TraceHeaders.submissionReceived(session("laptop.example", "alice@example.com"),
                "mail.example.com", "id1", false, NOW);
        assertEquals("Received: from laptop.example (2001:db8::7) (authenticated as alice@example.com) by"
                + " mail.example.com (Merpati) with ESMTPSA id id1; Sun, 22 Nov 2026 08:30:00 +0000\r\n",
                unfold(field));
        assertFolded(field);
    }

    @Test
    void hiddenClientKeepsOnlyTheServerSide() {
        String field = TraceHeaders.submissionReceived(session("[192.168.1.23]", "alice@example.com"),
                "mail.example.com", "id1", true, NOW);
        assertEquals("Received: (authenticated as alice@example.com) by mail.example.com (Merpati) with ESMTPSA"
                + " id id1; Sun, 22 Nov 2026 08:30:00 +0000\r\n", unfold(field));
        assertFolded(field);
    }

    /** After GreenMail's SmtpReceivedHeaderInjectionTest: the EHLO name cannot end the field or add lines. */
    @Test
    void ehloNameCannotInjectHeaderLines() {
        String field = TraceHeaders.submissionReceived(session("evil\r\nBcc: victim@example.net\r\n(x);", "a@b"),
                "mail.example.com", "id1", false, NOW);
        assertFalse(field.contains("\r\nBcc"), field);
        assertEquals(1, field.split(";", -1).length - 1, "one date separator only: " + field);
        assertTrue(field.endsWith("+0000\r\n"));
        for (String line : field.split("\r\n")) {
            assertTrue(line.startsWith("Received:") || line.startsWith("\t"), line);
        }
    }

    private static String unfold(String field) {
        return field.replace("\r\n\t", " ");
    }

    /** Folded into lines of at most 78 characters, continuation lines starting with a tab. */
    private static void assertFolded(String field) {
        for (String line : field.split("\r\n")) {
            assertTrue(line.length() <= 78, line);
            assertTrue(line.startsWith("Received:") || line.startsWith("\t"), line);
        }
    }
}
