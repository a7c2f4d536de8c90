package org.merpati.connector.smtp.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.Reply;

/** SMTP session transcripts: command order, pipelining, limits, listener verdicts and failures. */
class SmtpSessionTest {

    @TempDir
    Path spool;

    private SessionHarness smtp() {
        SessionHarness h = new SessionHarness(SessionHarness.smtp(), spool);
        assertEquals("220 mx.example ESMTP Merpati ready\r\n", h.output());
        return h;
    }

    private SessionHarness greeted() {
        SessionHarness h = smtp();
        h.send("EHLO client.example\r\n");
        return h;
    }

    @Test
    void ehloAdvertisesExtensions() {
        SessionHarness h = smtp();
        assertEquals("250-mx.example hello client.example\r\n250-PIPELINING\r\n250-SIZE 10000\r\n250-8BITMIME\r\n"
            + "250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n250-BINARYMIME\r\n250-DSN\r\n250 STARTTLS\r\n",
            h.send("EHLO client.example\r\n"));
    }

    @Test
    void heloGetsPlainReplies() {
        SessionHarness h = smtp();
        assertEquals("250 mx.example\r\n", h.send("HELO client.example\r\n"));
        assertEquals("250 ok\r\n", h.send("NOOP\r\n"));
        assertEquals("555 MAIL parameters need EHLO\r\n", h.send("MAIL FROM:<a@b.example> SIZE=10\r\n"));
    }

    @Test
    void fullTransaction() {
        SessionHarness h = greeted();
        assertEquals("250 2.1.0 sender <a@b.example> ok\r\n", h.send("MAIL FROM:<a@b.example> BODY=8BITMIME\r\n"));
        assertEquals("250 2.1.5 recipient <c@d.example> ok\r\n", h.send("RCPT TO:<c@d.example> NOTIFY=FAILURE\r\n"));
        assertEquals("354 end data with <CR><LF>.<CR><LF>\r\n", h.send("DATA\r\n"));
        assertEquals("", h.send("Subject: hi\r\n\r\n..dotted\r\n"));
        assertEquals("250 2.0.0 queued as 42\r\n", h.send(".\r\n"));
        RecordingListener.Delivery d = h.listener.deliveries.get(0);
        assertEquals("Subject: hi\r\n\r\n.dotted\r\n", d.content());
        assertEquals(d.content().length(), d.size());
        assertEquals("a@b.example", d.envelope().reversePath());
        assertEquals("8BITMIME", d.envelope().bodyType());
        assertEquals("FAILURE", d.envelope().recipients().get(0).dsnNotify());
        assertEquals("ESMTP", d.session().protocol());
        assertEquals("client.example", d.session().heloName());
        assertEquals("192.0.2.7", d.session().clientAddress());
        assertFalse(Files.exists(d.spool()), "spool file deleted after deliver");
    }

    @Test
    void pipelinedCommandsAnswerInOrderInOneFlush() {
        SessionHarness h = greeted();
        int before = h.flushes.size();
        String out = h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nRCPT TO:<bad@d.example>\r\nDATA\r\n");
        assertEquals("250 2.1.0 sender <a@b.example> ok\r\n250 2.1.5 recipient <c@d.example> ok\r\n"
            + "250 2.1.5 recipient <bad@d.example> ok\r\n354 end data with <CR><LF>.<CR><LF>\r\n", out);
        assertEquals(before + 1, h.flushes.size(), "one flush for the whole group");
    }

    @Test
    void pipelinedInputWaitsWhileTheListenerDecides() {
        SessionHarness h = greeted();
        h.deferCalls = true;
        assertEquals("", h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n"));
        assertTrue(h.paused, "input paused while checkSender runs");
        assertEquals(List.of(), h.listener.calls);
        h.completeNext();
        assertEquals(List.of("sender a@b.example"), h.listener.calls);
        assertTrue(h.paused, "still paused: RCPT is now with the listener");
        assertEquals("", h.output(), "MAIL's reply waits to be flushed with RCPT's");
        h.completeNext();
        assertFalse(h.paused);
        assertEquals("250 2.1.0 sender <a@b.example> ok\r\n250 2.1.5 recipient <c@d.example> ok\r\n", h.output());
    }

    @Test
    void listenerRefusals() {
        SessionHarness h = greeted();
        h.listener.senderVerdict = s -> s.startsWith("spam") ? new Reply(550, "5.7.1", "go away") : null;
        h.listener.recipientVerdict = r -> r.startsWith("nobody") ? new Reply(550, "5.1.1", "no such user") : null;
        assertEquals("550 5.7.1 go away\r\n", h.send("MAIL FROM:<spam@b.example>\r\n"));
        assertEquals("250 2.1.0 sender <a@b.example> ok\r\n", h.send("MAIL FROM:<a@b.example>\r\n"));
        assertEquals("550 5.1.1 no such user\r\n", h.send("RCPT TO:<nobody@d.example>\r\n"));
        assertEquals("554 5.5.1 no valid recipients\r\n", h.send("DATA\r\n"));
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> outOfOrder() {
        return Stream.of(
            org.junit.jupiter.params.provider.Arguments.of("", "MAIL FROM:<a@b.example>\r\n", "503 say hello first (EHLO/HELO/LHLO)\r\n"),
            org.junit.jupiter.params.provider.Arguments.of("", "RCPT TO:<a@b.example>\r\n", "503 say hello first (EHLO/HELO/LHLO)\r\n"),
            org.junit.jupiter.params.provider.Arguments.of("EHLO c\r\n", "RCPT TO:<a@b.example>\r\n", "503 5.5.1 need MAIL before RCPT\r\n"),
            org.junit.jupiter.params.provider.Arguments.of("EHLO c\r\n", "DATA\r\n", "503 5.5.1 need RCPT before DATA\r\n"),
            org.junit.jupiter.params.provider.Arguments.of("EHLO c\r\nMAIL FROM:<>\r\n", "MAIL FROM:<>\r\n", "503 5.5.1 nested MAIL command\r\n"),
            org.junit.jupiter.params.provider.Arguments.of("EHLO c\r\nMAIL FROM:<>\r\n", "STARTTLS\r\n", "503 5.5.1 STARTTLS only after EHLO and outside a transaction\r\n"),
            org.junit.jupiter.params.provider.Arguments.of("EHLO c\r\n", "LHLO c\r\n", "500 5.5.1 command not recognized\r\n"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("outOfOrder")
    void commandOrder(String before, String command, String reply) {
        SessionHarness h = smtp();
        h.send(before);
        assertEquals(reply, h.send(command));
    }

    @Test
    void rsetEndsTheTransactionButKeepsTheGreeting() {
        SessionHarness h = greeted();
        h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n");
        assertEquals("250 2.0.0 ok\r\n", h.send("RSET\r\n"));
        assertEquals("503 5.5.1 need RCPT before DATA\r\n", h.send("DATA\r\n"));
        assertEquals("250 2.1.0 sender <x@b.example> ok\r\n", h.send("MAIL FROM:<x@b.example>\r\n"));
    }

    @Test
    void quitCloses() {
        SessionHarness h = greeted();
        assertEquals("221 2.0.0 mx.example closing connection\r\n", h.send("QUIT\r\nNOOP\r\n"));
        assertTrue(h.closed);
    }

    @Test
    void lineTooLong() {
        SessionHarness h = greeted();
        assertEquals("500 5.5.2 line too long\r\n250 2.0.0 ok\r\n", h.send("NOOP " + "x".repeat(600) + "\r\nNOOP\r\n"));
    }

    @Test
    void bareLineEndingsInCommandsAreRefused() {
        SessionHarness h = greeted();
        assertEquals("500 5.5.2 bare CR or LF in command; lines end with CRLF\r\n250 2.0.0 ok\r\n",
            h.send("MAIL FROM:<a@b.example>\nRCPT TO:<c@d.example>\r\nNOOP\r\n"));
        assertEquals(List.of(), h.listener.calls, "nothing of the tainted line reached the listener");
    }

    @Test
    void tooManyRecipients() {
        SessionHarness h = greeted();
        h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<1@d.example>\r\nRCPT TO:<2@d.example>\r\nRCPT TO:<3@d.example>\r\n");
        assertEquals("452 4.5.3 too many recipients\r\n", h.send("RCPT TO:<4@d.example>\r\n"));
    }

    @Test
    void declaredSizeOverTheLimit() {
        SessionHarness h = greeted();
        assertEquals("552 5.3.4 message size exceeds fixed maximum message size\r\n",
            h.send("MAIL FROM:<a@b.example> SIZE=10001\r\n"));
    }

    @Test
    void messageOverTheLimitIsReadToTheEndThenRefused() throws IOException {
        SessionHarness h = greeted();
        h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n");
        String line = "y".repeat(98) + "\r\n";
        assertEquals("", h.send(line.repeat(101)));
        assertEquals("552 5.3.4 message size exceeds fixed maximum message size\r\n250 2.0.0 ok\r\n", h.send(".\r\nNOOP\r\n"));
        assertEquals(List.of(), h.listener.deliveries);
        try (Stream<Path> files = Files.list(spool)) {
            assertEquals(0, files.count(), "spool file removed");
        }
    }

    @Test
    void smugglingAttemptIsRefusedAndNothingDelivered() {
        SessionHarness h = greeted();
        h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n");
        String out = h.send("Subject: real\r\n\r\nbody\n.\nMAIL FROM:<admin@d.example>\nRCPT TO:<c@d.example>\nDATA\nforged\r\n.\r\nNOOP\r\n");
        assertEquals("550 5.6.0 message refused: bare CR or LF in message data (RFC 5321 2.3.8)\r\n250 2.0.0 ok\r\n", out);
        assertEquals(List.of(), h.listener.deliveries);
        assertEquals(List.of("sender a@b.example", "recipient c@d.example"), h.listener.calls);
    }

    @Test
    void tooManyErrorsCloses() {
        SessionHarness h = greeted();
        String out = h.send("FOO\r\nFOO\r\nFOO\r\nFOO\r\nFOO\r\nNOOP\r\n");
        assertEquals("500 5.5.1 command not recognized\r\n".repeat(5) + "421 4.7.0 mx.example too many errors, closing connection\r\n", out);
        assertTrue(h.closed);
    }

    @Test
    void listenerExceptionBecomes451AndTheSessionGoesOn() {
        SessionHarness h = greeted();
        h.listener.senderVerdict = s -> {
            throw new IllegalStateException("database down");
        };
        assertEquals("451 4.3.0 temporary failure, try again later\r\n", h.send("MAIL FROM:<a@b.example>\r\n"));
        h.listener.senderVerdict = s -> null;
        h.listener.throwOnDeliver = new IllegalStateException("disk full");
        h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n");
        assertEquals("451 4.3.0 temporary failure delivering the message, try again later\r\n", h.send("x\r\n.\r\n"));
        h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n");
        assertEquals("250 2.0.0 queued as 42\r\n", h.send("x\r\n.\r\n"));
    }

    @Test
    void negativeDeliveryReplyIsPassedOn() {
        SessionHarness h = greeted();
        h.listener.deliverVerdict = e -> List.of(new Reply(554, "5.7.1", "virus found"));
        h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n");
        assertEquals("554 5.7.1 virus found\r\n", h.send("x\r\n.\r\n"));
    }

    @Test
    void vrfyDisabledByDefault() {
        SessionHarness h = greeted();
        assertEquals("252 2.5.2 cannot VRFY user, but will accept message and attempt delivery\r\n", h.send("VRFY root\r\n"));
        assertEquals(List.of(), h.listener.calls);
    }

    @Test
    void vrfyEnabledAsksTheListener() {
        SessionHarness h = new SessionHarness(new SmtpSessionConfig("mx.example", false, 512, 10_000, 3, 5, true, false), spool);
        h.send("EHLO c\r\n");
        h.output();
        h.listener.recipientVerdict = r -> r.startsWith("root") ? null : new Reply(550, "5.1.1", "unknown");
        assertEquals("250 2.1.5 <root@mx.example>\r\n", h.send("VRFY <root@mx.example>\r\n"));
        assertEquals("550 5.1.1 unknown\r\n", h.send("VRFY x@mx.example\r\n"));
    }

    @Test
    void startTlsDiscardsPlaintextSentAfterIt() {
        SessionHarness h = greeted();
        assertEquals("220 2.0.0 ready to start TLS\r\n", h.send("STARTTLS\r\nMAIL FROM:<injected@evil.example>\r\n"));
        assertEquals(1, h.tlsStarts);
        h.session.tlsStarted("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        assertEquals(SmtpSessionState.CONNECTED, h.session.state());
        assertEquals("503 say hello first (EHLO/HELO/LHLO)\r\n", h.send("MAIL FROM:<a@b.example>\r\n"));
        assertFalse(h.send("EHLO c\r\n").contains("STARTTLS"), "no STARTTLS offered once TLS is on");
        assertEquals("503 5.5.1 TLS already active\r\n", h.send("STARTTLS\r\n"));
        assertEquals("ESMTPS", h.session.sessionInfo().protocol());
        assertEquals(List.of(), h.listener.calls);
    }

    @Test
    void idleTimeoutClosesUnlessTheListenerIsWorking() {
        SessionHarness h = greeted();
        h.deferCalls = true;
        h.send("MAIL FROM:<a@b.example>\r\n");
        h.session.idle();
        assertFalse(h.closed, "a client waiting for our reply is not idle");
        h.completeNext();
        h.output();
        h.session.idle();
        assertEquals("421 4.4.2 mx.example idle timeout, closing connection\r\n", h.output());
        assertTrue(h.closed);
    }

    @Test
    void disconnectDuringDataRemovesTheSpoolFile() throws IOException {
        SessionHarness h = greeted();
        h.send("MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\npartial\r\n");
        try (Stream<Path> files = Files.list(spool)) {
            assertEquals(1, files.count());
        }
        h.session.disconnected();
        try (Stream<Path> files = Files.list(spool)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void smtpUtf8Transaction() {
        SessionHarness h = greeted();
        assertEquals("250 2.1.0 sender <ü@bücher.example> ok\r\n".replace("ü", "?"),
            h.sendUtf8("MAIL FROM:<ü@bücher.example> SMTPUTF8\r\n"));
        assertEquals("250 2.1.5 recipient <δ@παράδειγμα.example> ok\r\n".replaceAll("[^\\x00-\\x7f]", "?"),
            h.sendUtf8("RCPT TO:<δ@παράδειγμα.example>\r\n"));
    }

    @Test
    void invalidUtf8Refused() {
        SessionHarness h = greeted();
        assertEquals("500 5.5.2 command is not valid UTF-8\r\n", h.send("NOOP \u00ff\r\n"));
    }
}
