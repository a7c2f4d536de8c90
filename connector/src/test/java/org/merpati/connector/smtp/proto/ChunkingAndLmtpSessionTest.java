package org.merpati.connector.smtp.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.Reply;

/** BDAT (RFC 3030) and LMTP (RFC 2033) transcripts. */
class ChunkingAndLmtpSessionTest {

    @TempDir
    Path spool;

    private SessionHarness smtp() {
        SessionHarness h = new SessionHarness(SessionHarness.smtp(), spool);
        h.send("EHLO client.example\r\n");
        h.output();
        return h;
    }

    private SessionHarness lmtp() {
        SessionHarness h = new SessionHarness(SessionHarness.lmtp(), spool);
        assertEquals("220 lmtp.example LMTP Merpati ready\r\n", h.output());
        return h;
    }

    @Test
    void binaryChunksAreTakenVerbatim() {
        SessionHarness h = smtp();
        h.send("MAIL FROM:<a@b.example> BODY=BINARYMIME\r\nRCPT TO:<c@d.example>\r\n");
        h.output();
        assertEquals("250 2.0.0 7 octets received\r\n", h.send("BDAT 7\r\n.\n\r\u0000\r\n."));
        assertEquals("250 2.0.0 queued as 42\r\n", h.send("BDAT 3 LAST\r\nend"));
        assertEquals(".\n\r\u0000\r\n.end", h.listener.deliveries.get(0).content());
        assertEquals("BINARYMIME", h.listener.deliveries.get(0).envelope().bodyType());
    }

    @Test
    void pipelinedChunksSplitAnywhere() {
        String wire = "MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nBDAT 5\r\nhelloBDAT 6 LAST\r\n world";
        for (int split = 1; split < wire.length(); split++) {
            SessionHarness h = smtp();
            h.send(wire.substring(0, split));
            h.send(wire.substring(split));
            assertEquals("hello world", h.listener.deliveries.get(0).content(), "split at " + split);
        }
    }

    @Test
    void emptyLastChunk() {
        SessionHarness h = smtp();
        h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n");
        h.output();
        assertEquals("250 2.0.0 2 octets received\r\n", h.send("BDAT 2\r\nab"));
        assertEquals("250 2.0.0 1 octets received\r\n", h.send("BDAT 1\r\nc"));
        assertEquals("250 2.0.0 queued as 42\r\n", h.send("BDAT 0 LAST\r\n"));
        assertEquals("abc", h.listener.deliveries.get(0).content());
    }

    @Test
    void refusedChunkIsStillConsumed() {
        SessionHarness h = smtp();
        assertEquals("503 5.5.1 need RCPT before BDAT\r\n250 2.0.0 ok\r\n", h.send("BDAT 6\r\nQUIT\r\nNOOP\r\n"));
    }

    @Test
    void dataAfterBdatAndDataWithBinaryMimeAreRefused() {
        SessionHarness h = smtp();
        h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nBDAT 1\r\nx");
        assertEquals("503 5.5.1 DATA cannot follow BDAT in one transaction\r\n", h.send("DATA\r\n"));
        h.send("RSET\r\nMAIL FROM:<a@b.example> BODY=BINARYMIME\r\nRCPT TO:<c@d.example>\r\n");
        h.output();
        assertEquals("503 5.5.1 BODY=BINARYMIME requires BDAT\r\n", h.send("DATA\r\n"));
    }

    @Test
    void oversizedChunkEndsTheTransaction() {
        SessionHarness h = smtp();
        h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n");
        h.output();
        assertEquals("552 5.3.4 message size exceeds fixed maximum message size\r\n",
            h.send("BDAT 10001\r\n" + "z".repeat(10001)));
        assertEquals("503 5.5.1 need MAIL before RCPT\r\n", h.send("RCPT TO:<c@d.example>\r\n"));
        assertEquals(List.of(), h.listener.deliveries);
    }

    @Test
    void lmtpNeedsLhlo() {
        SessionHarness h = lmtp();
        // no enhanced codes before LHLO has negotiated them
        assertEquals("500 command not recognized\r\n", h.send("EHLO c\r\n"));
        assertEquals("500 command not recognized\r\n", h.send("HELO c\r\n"));
        String lhlo = h.send("LHLO c\r\n");
        assertTrue(lhlo.startsWith("250-lmtp.example hello c\r\n"), lhlo);
        assertTrue(!lhlo.contains("STARTTLS"), lhlo);
    }

    @Test
    void lmtpRepliesOncePerAcceptedRecipient() {
        SessionHarness h = lmtp();
        h.listener.recipientVerdict = r -> r.startsWith("ghost") ? new Reply(550, "5.1.1", "no such user") : null;
        h.listener.deliverVerdict = e -> List.of(Reply.ok("2.0.0", "delivered to a"), new Reply(452, "4.2.2", "mailbox full"));
        h.send("LHLO c\r\nMAIL FROM:<s@b.example>\r\nRCPT TO:<a@d.example>\r\nRCPT TO:<ghost@d.example>\r\nRCPT TO:<b@d.example>\r\nDATA\r\n");
        h.output();
        assertEquals("250 2.0.0 delivered to a\r\n452 4.2.2 mailbox full\r\n", h.send("hi\r\n.\r\n"));
        assertEquals("LMTP", h.listener.deliveries.get(0).session().protocol());
    }

    @Test
    void lmtpBdatLastRepliesPerRecipient() {
        SessionHarness h = lmtp();
        h.send("LHLO c\r\nMAIL FROM:<s@b.example>\r\nRCPT TO:<a@d.example>\r\nRCPT TO:<b@d.example>\r\n");
        h.output();
        assertEquals("250 2.0.0 queued as 42\r\n250 2.0.0 queued as 42\r\n", h.send("BDAT 2 LAST\r\nhi"));
    }

    @Test
    void lmtpListenerFailureIs451ForEveryRecipient() {
        SessionHarness h = lmtp();
        h.listener.throwOnDeliver = new RuntimeException("boom");
        h.send("LHLO c\r\nMAIL FROM:<s@b.example>\r\nRCPT TO:<a@d.example>\r\nRCPT TO:<b@d.example>\r\nDATA\r\n");
        h.output();
        String temp = "451 4.3.0 temporary failure delivering the message, try again later\r\n";
        assertEquals(temp + temp, h.send("hi\r\n.\r\n"));
    }

    @Test
    void wrongNumberOfRepliesFromTheListenerIsATemporaryFailure() {
        SessionHarness h = lmtp();
        h.listener.deliverVerdict = e -> List.of(Reply.ok("2.0.0", "only one"));
        h.send("LHLO c\r\nMAIL FROM:<s@b.example>\r\nRCPT TO:<a@d.example>\r\nRCPT TO:<b@d.example>\r\nDATA\r\n");
        h.output();
        String temp = "451 4.3.0 temporary failure delivering the message, try again later\r\n";
        assertEquals(temp + temp, h.send("hi\r\n.\r\n"));
    }
}
