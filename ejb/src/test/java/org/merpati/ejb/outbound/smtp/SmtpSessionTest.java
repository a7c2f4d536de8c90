package org.merpati.ejb.outbound.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.Recipient;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.outbound.OutboundAttempt;
import org.merpati.ejb.outbound.RecipientOutcome;
import org.merpati.ejb.outbound.RecipientOutcome.Status;
import org.merpati.ejb.outbound.smtp.SmtpClientSettings.Smarthost;
import org.merpati.ejb.outbound.smtp.SmtpClientSettings.TlsMode;

/**
 * The SMTP dialogue against a scripted server on loopback, reached as a smarthost by address literal so that no
 * DNS is involved (routing has its own test with a real DNS server).
 */
class SmtpSessionTest {

    private static final String MESSAGE = "From: alice@local.test\r\nTo: bob@remote.test\r\nSubject: hi\r\n\r\n"
            + "Hello\r\n.\r\n..two dots\r\n.leading dot\r\nlast line";

    @TempDir
    Path dir;

    private FakeSmtpServer server;
    private Path message;

    @BeforeEach
    void start() throws Exception {
        server = FakeSmtpServer.onLoopback();
        message = dir.resolve("message.eml");
        Files.writeString(message, MESSAGE, StandardCharsets.UTF_8);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private SmtpClientSettings settings(TlsMode tls, String user, String password, boolean verify) {
        Duration t = Duration.ofSeconds(5);
        return SmtpClientSettings.defaults("client.test", 25)
                .withTimeouts(t, t, t, t)
                .withSmarthost(new Smarthost("127.0.0.1", server.port(), user, password, tls, verify));
    }

    private static DnsClient unusedDns() {
        return new DnsClient(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)), Duration.ofMillis(200));
    }

    private List<RecipientOutcome> deliver(SmtpClientSettings settings, OutboundAttempt attempt) {
        return new SmtpRemoteDelivery(settings, unusedDns(), domain -> java.util.Optional.empty(), new Random(1))
                .deliver(attempt);
    }

    private List<RecipientOutcome> deliverPlain(OutboundAttempt attempt) {
        return deliver(settings(TlsMode.NONE, null, null, false), attempt);
    }

    private OutboundAttempt attempt(String bodyType, boolean smtpUtf8, String... recipients) throws Exception {
        List<Recipient> list = new ArrayList<>();
        for (String r : recipients) {
            list.add(new Recipient(r, "FAILURE", null));
        }
        return new OutboundAttempt("remote.test", "alice@local.test", list, message, Files.size(message), bodyType,
                smtpUtf8, "HDRS", "env+2B1");
    }

    private static void assertOutcome(RecipientOutcome outcome, Status status, String enhanced) {
        assertEquals(status, outcome.status(), outcome.toString());
        assertEquals(enhanced, outcome.enhancedStatus(), outcome.toString());
    }

    private static final String WIRE = "From: alice@local.test\r\nTo: bob@remote.test\r\nSubject: hi\r\n\r\n"
            + "Hello\r\n.\r\n..two dots\r\n.leading dot\r\nlast line\r\n";

    @Test
    void pipelinesAndReportsPerRecipient() throws Exception {
        server.rcptReply = address -> address.startsWith("nobody")
                ? "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown" : "250 2.1.5 Ok";
        List<RecipientOutcome> outcomes = deliverPlain(attempt("7BIT", false,
                "a@remote.test", "nobody@remote.test", "b@remote.test"));

        assertOutcome(outcomes.get(0), Status.DELIVERED, "2.0.0");
        assertOutcome(outcomes.get(1), Status.PERMANENT, "5.1.1");
        assertOutcome(outcomes.get(2), Status.DELIVERED, "2.0.0");
        assertEquals("550 5.1.1 <nobody@remote.test>: Recipient address rejected: User unknown", outcomes.get(1).diagnostic());
        assertTrue(outcomes.get(1).smtpReply());
        assertEquals("127.0.0.1 [127.0.0.1]", outcomes.get(1).remoteMta());
        assertEquals("250 2.0.0 Ok: queued", outcomes.get(0).diagnostic());

        // RFC 2920: MAIL, every RCPT and DATA arrived in one group before any reply was needed
        assertTrue(server.commandGroups.contains(List.of(
                "MAIL FROM:<alice@local.test> SIZE=" + MESSAGE.length() + " RET=HDRS ENVID=env+2B1",
                "RCPT TO:<a@remote.test> NOTIFY=FAILURE ORCPT=rfc822;a@remote.test",
                "RCPT TO:<nobody@remote.test> NOTIFY=FAILURE ORCPT=rfc822;nobody@remote.test",
                "RCPT TO:<b@remote.test> NOTIFY=FAILURE ORCPT=rfc822;b@remote.test",
                "DATA")), server.commandGroups.toString());
        assertEquals(1, server.messages.size());
        assertEquals(WIRE, server.messages.get(0).text(), "dot-stuffed on the wire, unstuffed by the server");
        assertEquals(List.of(List.of("a@remote.test", "b@remote.test")), server.recipientsPerMessage());
        assertEquals("QUIT", server.commands.get(server.commands.size() - 1));
    }

    @Test
    void withoutPipeliningOneCommandAtATime() throws Exception {
        server.extensions = List.of("SIZE", "8BITMIME");
        List<RecipientOutcome> outcomes = deliverPlain(attempt("8BITMIME", false, "a@remote.test", "b@remote.test"));
        assertOutcome(outcomes.get(0), Status.DELIVERED, "2.0.0");
        assertOutcome(outcomes.get(1), Status.DELIVERED, "2.0.0");
        assertTrue(server.commandGroups.stream().allMatch(group -> group.size() == 1));
        // no DSN extension: no NOTIFY, ORCPT, RET, ENVID; 8BITMIME announced: BODY given
        assertTrue(server.commands.contains("MAIL FROM:<alice@local.test> SIZE=" + MESSAGE.length() + " BODY=8BITMIME"),
                server.commands.toString());
        assertTrue(server.commands.contains("RCPT TO:<a@remote.test>"));
    }

    @Test
    void eightBitGoesUnchangedToAServerWithout8BitMime() throws Exception {
        Files.writeString(message, "Subject: Grüße\r\n\r\nÄpfel\r\n", StandardCharsets.UTF_8);
        server.extensions = List.of("PIPELINING");
        List<RecipientOutcome> outcomes = deliverPlain(attempt("8BITMIME", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.DELIVERED, "2.0.0");
        assertTrue(server.commands.contains("MAIL FROM:<alice@local.test>"), server.commands.toString());
        assertEquals("Subject: Grüße\r\n\r\nÄpfel\r\n", server.messages.get(0).text());
    }

    @Test
    void tooManyRecipientsGoInFurtherTransactionsOnTheSameConnection() throws Exception {
        server.maxRecipientsPerTransaction = 2;
        List<RecipientOutcome> outcomes = deliverPlain(attempt("7BIT", false,
                "a@remote.test", "b@remote.test", "c@remote.test", "d@remote.test", "e@remote.test"));
        outcomes.forEach(o -> assertOutcome(o, Status.DELIVERED, "2.0.0"));
        assertEquals(List.of(List.of("a@remote.test", "b@remote.test"), List.of("c@remote.test", "d@remote.test"),
                List.of("e@remote.test")), server.recipientsPerMessage());
        assertEquals(1, server.connections);
    }

    @Test
    void clientLimitsRecipientsPerTransaction() throws Exception {
        List<RecipientOutcome> outcomes = deliver(settings(TlsMode.NONE, null, null, false).withMaxRecipientsPerTransaction(2),
                attempt("7BIT", false, "a@remote.test", "b@remote.test", "c@remote.test"));
        outcomes.forEach(o -> assertOutcome(o, Status.DELIVERED, "2.0.0"));
        assertEquals(2, server.messages.size());
    }

    @Test
    void connectionDroppedMidDataIsTemporaryForAllAccepted() throws Exception {
        server.dropAfterDataOctets = 20;
        server.rcptReply = address -> address.startsWith("x") ? "550 5.1.1 unknown" : "250 2.1.5 Ok";
        List<RecipientOutcome> outcomes = deliverPlain(attempt("7BIT", false, "a@remote.test", "x@remote.test", "b@remote.test"));
        assertOutcome(outcomes.get(0), Status.TEMPORARY, "4.4.2");
        assertOutcome(outcomes.get(1), Status.PERMANENT, "5.1.1");
        assertOutcome(outcomes.get(2), Status.TEMPORARY, "4.4.2");
        assertFalse(outcomes.get(0).smtpReply());
        assertTrue(server.messages.isEmpty());
        assertEquals(1, server.connections, "not sent again to another address in the same attempt");
    }

    @Test
    void sizeLimitRefusesBeforeMail() throws Exception {
        server.extensions = List.of("PIPELINING", "SIZE 50");
        List<RecipientOutcome> outcomes = deliverPlain(attempt("7BIT", false, "a@remote.test", "b@remote.test"));
        assertOutcome(outcomes.get(0), Status.PERMANENT, "5.3.4");
        assertOutcome(outcomes.get(1), Status.PERMANENT, "5.3.4");
        assertTrue(server.commands.stream().noneMatch(c -> c.startsWith("MAIL")), server.commands.toString());
        assertEquals("QUIT", server.commands.get(server.commands.size() - 1));
    }

    @Test
    void smtpUtf8NeededButNotOffered() throws Exception {
        server.extensions = List.of("PIPELINING", "8BITMIME");
        List<RecipientOutcome> outcomes = deliverPlain(attempt("8BITMIME", true, "jörg@remote.test"));
        assertOutcome(outcomes.get(0), Status.PERMANENT, "5.6.7");
    }

    @Test
    void smtpUtf8WhenOffered() throws Exception {
        List<RecipientOutcome> outcomes = deliverPlain(attempt("8BITMIME", true, "jörg@remote.test"));
        assertOutcome(outcomes.get(0), Status.DELIVERED, "2.0.0");
        assertTrue(server.commands.stream().anyMatch(c -> c.startsWith("MAIL") && c.contains(" BODY=8BITMIME SMTPUTF8")));
        assertTrue(server.commands.contains("RCPT TO:<jörg@remote.test> NOTIFY=FAILURE"), "no rfc822 ORCPT for a UTF-8 address");
    }

    @Test
    void heloWhenEhloIsNotUnderstood() throws Exception {
        server.esmtp = false;
        List<RecipientOutcome> outcomes = deliverPlain(attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.DELIVERED, "2.0.0");
        assertTrue(server.commands.contains("HELO client.test"));
        assertTrue(server.commands.contains("MAIL FROM:<alice@local.test>"), "no extension parameters after HELO");
    }

    @Test
    void senderRejectedPermanentlyOrTemporarily() throws Exception {
        server.mailReply = "553 5.7.1 <alice@local.test>: Sender address rejected";
        List<RecipientOutcome> outcomes = deliverPlain(attempt("7BIT", false, "a@remote.test", "b@remote.test"));
        assertOutcome(outcomes.get(0), Status.PERMANENT, "5.7.1");
        assertOutcome(outcomes.get(1), Status.PERMANENT, "5.7.1");

        server.mailReply = "451 4.3.0 try later";
        outcomes = deliverPlain(attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.TEMPORARY, "4.3.0");
        assertEquals("451 4.3.0 try later", outcomes.get(0).diagnostic());
    }

    @Test
    void finalReplyAppliesToAllAcceptedRecipients() throws Exception {
        server.finalReply = "554 5.6.0 Message content rejected";
        server.rcptReply = address -> address.startsWith("t") ? "450 4.2.1 mailbox busy" : "250 2.1.5 Ok";
        List<RecipientOutcome> outcomes = deliverPlain(attempt("7BIT", false, "a@remote.test", "t@remote.test", "b@remote.test"));
        assertOutcome(outcomes.get(0), Status.PERMANENT, "5.6.0");
        assertOutcome(outcomes.get(1), Status.TEMPORARY, "4.2.1");
        assertOutcome(outcomes.get(2), Status.PERMANENT, "5.6.0");
    }

    @Test
    void allRecipientsRefusedSendsNoMessage() throws Exception {
        server.rcptReply = address -> "550 5.1.1 unknown";
        List<RecipientOutcome> outcomes = deliverPlain(attempt("7BIT", false, "a@remote.test", "b@remote.test"));
        assertOutcome(outcomes.get(0), Status.PERMANENT, "5.1.1");
        assertOutcome(outcomes.get(1), Status.PERMANENT, "5.1.1");
        assertTrue(server.messages.isEmpty());
    }

    @Test
    void badRecipientAddressNeverReachesTheWire() throws Exception {
        List<RecipientOutcome> outcomes = deliverPlain(attempt("7BIT", false, "a@remote.test>\r\nRCPT TO:<evil@x.test", "b@remote.test"));
        assertOutcome(outcomes.get(0), Status.PERMANENT, "5.1.3");
        assertOutcome(outcomes.get(1), Status.DELIVERED, "2.0.0");
        assertTrue(server.commands.stream().noneMatch(c -> c.contains("evil")));
    }

    @Test
    void binaryMimeGoesByBdatUnchanged() throws Exception {
        byte[] binary = "Content-Type: application/octet-stream\r\n\r\n\u0000\n.\r\n\rend".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(message, binary);
        server.extensions = List.of("PIPELINING", "CHUNKING", "BINARYMIME", "8BITMIME");
        List<RecipientOutcome> outcomes = deliverPlain(attempt("BINARYMIME", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.DELIVERED, "2.0.0");
        assertArrayEquals(binary, server.messages.get(0).data());
        assertTrue(server.commands.contains("BDAT " + binary.length + " LAST"));

        server.extensions = List.of("PIPELINING", "8BITMIME");
        outcomes = deliverPlain(attempt("BINARYMIME", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.PERMANENT, "5.6.3");
    }

    @Test
    void missingMessageFileStaysQueued() throws Exception {
        Files.delete(message);
        List<RecipientOutcome> outcomes = deliverPlain(new OutboundAttempt("remote.test", "", List.of(new Recipient("a@remote.test", null, null)),
                message, 10, "7BIT", false, null, null));
        assertOutcome(outcomes.get(0), Status.TEMPORARY, "4.3.0");
        assertEquals(0, server.connections);
    }

    @Test
    void greetingRefusalFromTheOnlyHost() throws Exception {
        server.greeting = "554 5.7.1 no service for you";
        List<RecipientOutcome> outcomes = deliverPlain(attempt("7BIT", false, "a@remote.test"));
        // a smarthost refusing us is a configuration problem: never a bounce
        assertOutcome(outcomes.get(0), Status.TEMPORARY, "4.7.1");
    }

    @Test
    void connectionRefusedIsTemporary() throws Exception {
        int port = server.port();
        server.close();
        List<RecipientOutcome> outcomes = deliver(settings(TlsMode.NONE, null, null, false), attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.TEMPORARY, "4.4.1");
        assertTrue(outcomes.get(0).diagnostic().contains("connection refused by 127.0.0.1 [127.0.0.1]:" + port),
                outcomes.get(0).diagnostic());
    }

    @Test
    void startTlsVerifiedAgainstTrustStore() throws Exception {
        TestCertificates.Pair cert = TestCertificates.create(dir, "relay.test", "dns:relay.test", "ip:127.0.0.1");
        server.tls = cert.serverContext();
        SmtpClientSettings settings = settings(TlsMode.STARTTLS, null, null, true)
                .withTrustStore(cert.trustStore(), TestCertificates.PASSWORD);
        List<RecipientOutcome> outcomes = deliver(settings, attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.DELIVERED, "2.0.0");
        assertTrue(server.messages.get(0).tls());
        assertEquals(2, server.commands.stream().filter(c -> c.startsWith("EHLO")).count(), "EHLO again after STARTTLS");
    }

    @Test
    void startTlsWithUntrustedCertificateFailsTemporarily() throws Exception {
        server.tls = TestCertificates.create(dir, "relay.test", "ip:127.0.0.1").serverContext();
        List<RecipientOutcome> outcomes = deliver(settings(TlsMode.STARTTLS, null, null, true), attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.TEMPORARY, "4.7.5");
        assertTrue(server.messages.isEmpty());
    }

    @Test
    void startTlsRequiredButNotOffered() throws Exception {
        List<RecipientOutcome> outcomes = deliver(settings(TlsMode.STARTTLS, null, null, false), attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.TEMPORARY, "4.7.5");
        assertTrue(server.commands.stream().noneMatch(c -> c.startsWith("MAIL")));
    }

    @Test
    void authPlainAfterStartTls() throws Exception {
        server.tls = TestCertificates.create(dir, "relay.test", "ip:127.0.0.1").serverContext();
        server.authUser = "relay-user";
        server.authPassword = "relay-secret";
        List<RecipientOutcome> outcomes = deliver(settings(TlsMode.STARTTLS, "relay-user", "relay-secret", false),
                attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.DELIVERED, "2.0.0");
        assertTrue(server.messages.get(0).tls());
        int starttls = server.commands.indexOf("STARTTLS");
        int auth = indexOfPrefix(server.commands, "AUTH PLAIN ");
        assertTrue(starttls >= 0 && auth > starttls, server.commands.toString());
    }

    @Test
    void authLoginWhenPlainIsNotOffered() throws Exception {
        server.tls = TestCertificates.create(dir, "relay.test", "ip:127.0.0.1").serverContext();
        server.authUser = "relay-user";
        server.authPassword = "relay-secret";
        server.authMechanisms = "LOGIN";
        List<RecipientOutcome> outcomes = deliver(settings(TlsMode.STARTTLS, "relay-user", "relay-secret", false),
                attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.DELIVERED, "2.0.0");
        assertTrue(server.commands.contains("AUTH LOGIN"));
    }

    @Test
    void wrongCredentialsNeverBounce() throws Exception {
        server.tls = TestCertificates.create(dir, "relay.test", "ip:127.0.0.1").serverContext();
        server.authUser = "relay-user";
        server.authPassword = "relay-secret";
        List<RecipientOutcome> outcomes = deliver(settings(TlsMode.STARTTLS, "relay-user", "wrong", false),
                attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.TEMPORARY, "4.7.8");
        assertTrue(server.commands.stream().noneMatch(c -> c.startsWith("MAIL")));
    }

    @Test
    void implicitTlsSmarthost() throws Exception {
        TestCertificates.Pair cert = TestCertificates.create(dir, "relay.test", "ip:127.0.0.1");
        server.tls = cert.serverContext();
        server.implicitTls = true;
        server.authUser = "u";
        server.authPassword = "p";
        SmtpClientSettings settings = settings(TlsMode.IMPLICIT, "u", "p", true)
                .withTrustStore(cert.trustStore(), TestCertificates.PASSWORD);
        List<RecipientOutcome> outcomes = deliver(settings, attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.DELIVERED, "2.0.0");
        assertTrue(server.messages.get(0).tls());
        assertFalse(server.commands.contains("STARTTLS"));
    }

    @Test
    void credentialsInPlainTextOnlyToLoopback() throws Exception {
        server.authUser = "u";
        server.authPassword = "p";
        List<RecipientOutcome> outcomes = deliver(settings(TlsMode.NONE, "u", "p", false), attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.DELIVERED, "2.0.0");
    }

    @Test
    void stalledDataWriteTimesOut() throws Exception {
        server.stallInDataMillis = 8000;
        server.extensions = List.of("PIPELINING", "SIZE");
        byte[] line = ("x".repeat(998) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (var out = Files.newOutputStream(message)) {
            for (int i = 0; i < 16 * 1024; i++) { // 16 MB: more than the socket buffers hold
                out.write(line);
            }
        }
        Duration t = Duration.ofSeconds(5);
        SmtpClientSettings settings = settings(TlsMode.NONE, null, null, false)
                .withTimeouts(t, t, Duration.ofSeconds(1), t);
        long start = System.nanoTime();
        List<RecipientOutcome> outcomes = deliver(settings, attempt("7BIT", false, "a@remote.test"));
        assertOutcome(outcomes.get(0), Status.TEMPORARY, "4.4.2");
        assertTrue(outcomes.get(0).diagnostic().contains("timed out"), outcomes.get(0).diagnostic());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(7).toNanos(), "the data block timeout ended the write");
    }

    @Test
    void silenceAfterTheFinalDotTimesOut() throws Exception {
        server.silenceAfterDotMillis = 5000;
        Duration t = Duration.ofSeconds(5);
        SmtpClientSettings settings = settings(TlsMode.NONE, null, null, false)
                .withTimeouts(t, t, t, Duration.ofSeconds(1));
        List<RecipientOutcome> outcomes = deliver(settings, attempt("7BIT", false, "a@remote.test", "b@remote.test"));
        assertOutcome(outcomes.get(0), Status.TEMPORARY, "4.4.2");
        assertOutcome(outcomes.get(1), Status.TEMPORARY, "4.4.2");
    }

    private static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
