package org.merpati.connector.smtp.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import io.netty.handler.ssl.SslContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.MailDeliveryListener;
import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.netty.ListenerSettings;
import org.merpati.connector.netty.NettyEventLoops;
import org.merpati.connector.netty.NettyListener;
import org.merpati.connector.netty.TlsContextFactory;
import org.merpati.connector.netty.TlsMode;
import org.merpati.connector.netty.TlsSettings;
import org.merpati.connector.smtp.proto.RecordingListener;
import org.merpati.connector.smtp.proto.SmtpSessionConfig;
import org.merpati.connector.spool.SpoolDirectory;

/** Submission listeners (RFC 6409 STARTTLS, RFC 8314 implicit TLS) on loopback sockets, with a fake listener. */
class SubmissionServerEndToEndTest {

    private static NettyEventLoops loops;
    private static ExecutorService workers;
    private static SslContext tls;

    @TempDir
    static Path tlsDir;
    @TempDir
    Path spool;

    private final RecordingListener listener = new RecordingListener();
    private final List<NettyListener> started = new ArrayList<>();

    @BeforeAll
    static void startLoops() throws Exception {
        loops = new NettyEventLoops(2, null);
        workers = Executors.newFixedThreadPool(2);
        tls = TlsContextFactory.create(new TlsSettings("localhost", tlsDir.resolve("merpati.p12"), "secret", null, null));
    }

    @AfterAll
    static void stopLoops() {
        workers.shutdownNow();
        loops.close();
    }

    @AfterEach
    void stopListeners() {
        started.forEach(NettyListener::stop);
    }

    private InetSocketAddress start(TlsMode mode, long authFailureDelayMillis) throws Exception {
        listener.passwords.put("alice@example.test", "correct horse");
        EndpointDispatcher<MailDeliveryListener> dispatcher = new EndpointDispatcher<>() {
            @Override
            public <T> CompletableFuture<T> call(Function<? super MailDeliveryListener, ? extends T> call) {
                return CompletableFuture.supplyAsync(() -> call.apply(listener), workers);
            }
        };
        SmtpSessionConfig config = new SmtpSessionConfig("submit.test", false, 2048, 100_000, 10, 10, false, mode == TlsMode.STARTTLS)
            .asSubmission(false, 3, authFailureDelayMillis);
        NettyListener server = new NettyListener(new ListenerSettings("SUBMISSION", "127.0.0.1", 0, mode, 100, 10, 60),
            loops, tls, new SmtpProtocolHandlers(config, mode, dispatcher, new SpoolDirectory(spool)));
        InetSocketAddress bound = server.start();
        started.add(server);
        return new InetSocketAddress("127.0.0.1", bound.getPort());
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void submit(TestSmtpClient c) throws Exception {
        assertEquals("250 2.1.0 sender <alice@example.test> ok\r\n", c.command("MAIL FROM:<alice@example.test>"));
        assertEquals("250 2.1.5 recipient <bob@remote.test> ok\r\n", c.command("RCPT TO:<bob@remote.test>"));
        assertEquals("354 end data with <CR><LF>.<CR><LF>\r\n", c.command("DATA"));
        assertEquals("250 2.0.0 queued as 42\r\n", c.command("Subject: submitted\r\n\r\nhi Bob\r\n."));
    }

    @Test
    void startTlsThenAuthPlainThenSubmit() throws Exception {
        InetSocketAddress address = start(TlsMode.STARTTLS, 1000);
        try (TestSmtpClient c = new TestSmtpClient(address)) {
            assertEquals("220 submit.test ESMTP Merpati ready\r\n", c.reply());
            String clear = c.command("EHLO client.test");
            assertTrue(clear.contains("250 STARTTLS\r\n"), clear);
            assertFalse(clear.contains("AUTH"), "no AUTH offered in clear text: " + clear);
            assertEquals("530 5.7.0 Must issue a STARTTLS command first\r\n", c.command("AUTH PLAIN " + plain("alice@example.test", "correct horse")));
            assertEquals("530 5.7.0 Authentication required\r\n", c.command("MAIL FROM:<alice@example.test>"));
            assertEquals("220 2.0.0 ready to start TLS\r\n", c.command("STARTTLS"));
            c.upgradeToTls();
            String ehlo = c.command("EHLO client.test");
            assertTrue(ehlo.contains("250 AUTH PLAIN LOGIN\r\n"), ehlo);
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            assertEquals("235 2.7.0 authentication successful\r\n", c.command("AUTH PLAIN " + plain("alice@example.test", "correct horse")));
            submit(c);
            assertEquals("221 2.0.0 submit.test closing connection\r\n", c.command("QUIT"));
        }
        assertEquals(List.of("authenticate alice@example.test", "sender alice@example.test", "recipient bob@remote.test", "deliver"),
            listener.calls, "the clear-text AUTH never reached the listener");
        RecordingListener.Delivery d = listener.deliveries.get(0);
        SessionInfo session = d.session();
        assertEquals("alice@example.test", session.authenticatedUser());
        assertEquals("ESMTPSA", session.protocol());
        assertNotNull(session.tlsProtocol());
        assertEquals("Subject: submitted\r\n\r\nhi Bob\r\n", d.content());
    }

    @Test
    void implicitTlsWithAuthLogin() throws Exception {
        InetSocketAddress address = start(TlsMode.IMPLICIT, 1000);
        try (TestSmtpClient c = TestSmtpClient.implicitTls(address)) {
            assertEquals("220 submit.test ESMTP Merpati ready\r\n", c.reply());
            assertTrue(c.command("EHLO client.test").contains("250 AUTH PLAIN LOGIN\r\n"));
            assertEquals("334 VXNlcm5hbWU6\r\n", c.command("AUTH LOGIN"));
            assertEquals("334 UGFzc3dvcmQ6\r\n", c.command(Base64.getEncoder().encodeToString("alice@example.test".getBytes(StandardCharsets.UTF_8))));
            assertEquals("235 2.7.0 authentication successful\r\n",
                c.command(Base64.getEncoder().encodeToString("correct horse".getBytes(StandardCharsets.UTF_8))));
            submit(c);
        }
        SessionInfo session = listener.deliveries.get(0).session();
        assertEquals("alice@example.test", session.authenticatedUser());
        assertEquals("ESMTPSA", session.protocol());
    }

    @Test
    void failedLoginsAreSlowedDownThenTheConnectionCloses() throws Exception {
        InetSocketAddress address = start(TlsMode.IMPLICIT, 100);
        try (TestSmtpClient c = TestSmtpClient.implicitTls(address)) {
            c.reply();
            c.command("EHLO client.test");
            String wrong = "AUTH PLAIN " + plain("alice@example.test", "guess");
            long begin = System.nanoTime();
            assertEquals("535 5.7.8 authentication credentials invalid\r\n", c.command(wrong));
            assertEquals("535 5.7.8 authentication credentials invalid\r\n", c.command(wrong));
            assertEquals("421 4.7.0 submit.test too many authentication failures, closing connection\r\n", c.command(wrong));
            long elapsedMillis = (System.nanoTime() - begin) / 1_000_000;
            assertTrue(elapsedMillis >= 100 + 200 + 400, "answers held back 100, 200 and 400 ms; took " + elapsedMillis);
            assertNull(c.reply(), "connection closed");
        }
        assertEquals(List.of(), listener.deliveries);
    }
}
