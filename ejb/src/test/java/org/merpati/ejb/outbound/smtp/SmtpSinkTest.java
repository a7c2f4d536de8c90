package org.merpati.ejb.outbound.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.dns.TestUnbound;
import org.merpati.connector.api.Recipient;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.outbound.OutboundAttempt;
import org.merpati.ejb.outbound.RecipientOutcome;
import org.merpati.ejb.outbound.RecipientOutcome.Status;
import org.merpati.ejb.outbound.smtp.SmtpClientSettings.Smarthost;
import org.merpati.ejb.outbound.smtp.SmtpClientSettings.TlsMode;

/** The client against Postfix's smtp-sink, a real server implementation (skipped when it is not installed). */
class SmtpSinkTest {

    private static final Path SMTP_SINK = Path.of("/usr/sbin/smtp-sink");

    @TempDir
    Path dir;

    private Process sink;
    private int port;

    @BeforeEach
    void requireSink() {
        Assumptions.assumeTrue(Files.isExecutable(SMTP_SINK), "Postfix smtp-sink is not installed");
    }

    @AfterEach
    void stopSink() throws Exception {
        if (sink != null) {
            sink.destroy();
            if (!sink.waitFor(5, TimeUnit.SECONDS)) {
                sink.destroyForcibly();
            }
        }
    }

    private void startSink(String... options) throws Exception {
        port = TestUnbound.freePort();
        List<String> command = new ArrayList<>(List.of(SMTP_SINK.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody")); // smtp-sink refuses to keep running as root
        }
        command.addAll(List.of(options));
        command.addAll(List.of("127.0.0.1:" + port, "10"));
        sink = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("sink.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (java.io.IOException e) {
                if (!sink.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("smtp-sink did not start: " + Files.readString(dir.resolve("sink.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    private List<RecipientOutcome> deliver(String... recipients) throws Exception {
        Path message = dir.resolve("message.eml");
        StringBuilder text = new StringBuilder("From: alice@local.test\r\nSubject: to the sink\r\n\r\n");
        for (int i = 0; i < 2000; i++) {
            text.append(i % 10 == 0 ? "." : "").append("line ").append(i).append("\r\n");
        }
        Files.writeString(message, text);
        List<Recipient> list = new ArrayList<>();
        for (String r : recipients) {
            list.add(new Recipient(r, "SUCCESS,FAILURE", null));
        }
        Duration t = Duration.ofSeconds(10);
        SmtpClientSettings settings = SmtpClientSettings.defaults("client.test", 25).withTimeouts(t, t, t, t)
                .withSmarthost(new Smarthost("127.0.0.1", port, null, null, TlsMode.NONE, false));
        DnsClient unused = new DnsClient(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)), Duration.ofMillis(100));
        return new SmtpRemoteDelivery(settings, unused, domain -> Optional.empty(), new Random(1))
                .deliver(new OutboundAttempt("sink.test", "alice@local.test", list, message, Files.size(message), "8BITMIME",
                        false, "HDRS", "sink1"));
    }

    @Test
    void deliversToSmtpSink() throws Exception {
        startSink();
        List<RecipientOutcome> outcomes = deliver("a@sink.test", "b@sink.test", "c@sink.test");
        for (RecipientOutcome outcome : outcomes) {
            assertEquals(Status.DELIVERED, outcome.status(), outcome.toString());
        }
    }

    @Test
    void hardRejectedRecipientsArePermanent() throws Exception {
        startSink("-f", "RCPT"); // hard reject; implies no PIPELINING
        List<RecipientOutcome> outcomes = deliver("a@sink.test", "b@sink.test");
        for (RecipientOutcome outcome : outcomes) {
            assertEquals(Status.PERMANENT, outcome.status(), outcome.toString());
            assertEquals(true, outcome.smtpReply());
        }
    }

    @Test
    void softRejectedRecipientsAreTemporary() throws Exception {
        startSink("-r", "RCPT");
        for (RecipientOutcome outcome : deliver("a@sink.test")) {
            assertEquals(Status.TEMPORARY, outcome.status(), outcome.toString());
        }
    }

    @Test
    void rejectedMessageDataIsPermanentForAll() throws Exception {
        startSink("-f", ".");
        for (RecipientOutcome outcome : deliver("a@sink.test", "b@sink.test")) {
            assertEquals(Status.PERMANENT, outcome.status(), outcome.toString());
        }
    }
}
