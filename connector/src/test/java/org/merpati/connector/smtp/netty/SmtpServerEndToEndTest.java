package org.merpati.connector.smtp.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Stream;

import io.netty.handler.ssl.SslContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.MailDeliveryListener;
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

/** The SMTP listener on a real loopback socket, with a recording listener behind a thread-pool dispatcher. */
class SmtpServerEndToEndTest {

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
        Path keystore = tlsDir.resolve("tls").resolve("merpati.p12");
        tls = TlsContextFactory.create(new TlsSettings("localhost", keystore, "secret", null, null));
        assertTrue(Files.exists(keystore), "self-signed keystore generated");
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

    private InetSocketAddress start(TlsMode mode, int perIp, int idleSeconds) throws Exception {
        EndpointDispatcher<MailDeliveryListener> dispatcher = new EndpointDispatcher<>() {
            @Override
            public <T> CompletableFuture<T> call(Function<? super MailDeliveryListener, ? extends T> call) {
                return CompletableFuture.supplyAsync(() -> call.apply(listener), workers);
            }
        };
        SmtpSessionConfig config = new SmtpSessionConfig("mx.test", false, 1000, 100_000, 10, 10, false, mode == TlsMode.STARTTLS);
        NettyListener server = new NettyListener(new ListenerSettings("SMTP", "127.0.0.1", 0, mode, 100, perIp, idleSeconds),
            loops, mode == TlsMode.NONE ? null : tls, new SmtpProtocolHandlers(config, mode, dispatcher, new SpoolDirectory(spool)));
        InetSocketAddress bound = server.start();
        started.add(server);
        return new InetSocketAddress("127.0.0.1", bound.getPort());
    }

    private static void transaction(TestSmtpClient c, String body) throws Exception {
        assertEquals("250 2.1.0 sender <a@b.test> ok\r\n", c.command("MAIL FROM:<a@b.test>"));
        assertEquals("250 2.1.5 recipient <c@mx.test> ok\r\n", c.command("RCPT TO:<c@mx.test>"));
        assertEquals("354 end data with <CR><LF>.<CR><LF>\r\n", c.command("DATA"));
        c.send(body + ".\r\n");
    }

    @Test
    void plainTransaction() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, 10, 60);
        try (TestSmtpClient c = new TestSmtpClient(address)) {
            assertEquals("220 mx.test ESMTP Merpati ready\r\n", c.reply());
            String ehlo = c.command("EHLO client.test");
            assertTrue(ehlo.contains("250-PIPELINING\r\n") && ehlo.contains("250-SIZE 100000\r\n"), ehlo);
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            transaction(c, "Subject: e2e\r\n\r\n..hello\r\n");
            assertEquals("250 2.0.0 queued as 42\r\n", c.reply());
            assertEquals("221 2.0.0 mx.test closing connection\r\n", c.command("QUIT"));
            assertNull(c.reply(), "server closed the connection");
        }
        RecordingListener.Delivery d = listener.deliveries.get(0);
        assertEquals("Subject: e2e\r\n\r\n.hello\r\n", d.content());
        assertEquals("ESMTP", d.session().protocol());
        assertEquals("127.0.0.1", d.session().clientAddress());
        assertNull(d.session().tlsProtocol());
        try (Stream<Path> files = Files.list(spool)) {
            assertEquals(0, files.count(), "spool file deleted after delivery");
        }
    }

    @Test
    void pipelinedGroupGetsAllRepliesInOrder() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, 10, 60);
        try (TestSmtpClient c = new TestSmtpClient(address)) {
            c.reply();
            c.send("EHLO client.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@mx.test>\r\nRCPT TO:<d@mx.test>\r\nDATA\r\n");
            assertTrue(c.reply().startsWith("250-mx.test"));
            assertEquals("250 2.1.0 sender <a@b.test> ok\r\n", c.reply());
            assertEquals("250 2.1.5 recipient <c@mx.test> ok\r\n", c.reply());
            assertEquals("250 2.1.5 recipient <d@mx.test> ok\r\n", c.reply());
            assertEquals("354 end data with <CR><LF>.<CR><LF>\r\n", c.reply());
            c.send("x\r\n.\r\nQUIT\r\n");
            assertEquals("250 2.0.0 queued as 42\r\n", c.reply());
            assertEquals("221 2.0.0 mx.test closing connection\r\n", c.reply());
        }
        assertEquals(2, listener.deliveries.get(0).envelope().recipients().size());
    }

    @Test
    void smugglingOverTheWireIsRefused() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, 10, 60);
        try (TestSmtpClient c = new TestSmtpClient(address)) {
            c.reply();
            c.command("EHLO client.test");
            // the CVE-2023-51764 payload: a second transaction hidden behind <LF>.<LF>
            transaction(c, "Subject: real\r\n\r\nreal\n.\nMAIL FROM:<ceo@mx.test>\nRCPT TO:<c@mx.test>\nDATA\nforged\r\n");
            assertEquals("550 5.6.0 message refused: bare CR or LF in message data (RFC 5321 2.3.8)\r\n", c.reply());
            assertEquals("250 2.0.0 ok\r\n", c.command("NOOP"), "client and server still agree where commands are");
        }
        assertEquals(List.of(), listener.deliveries);
        assertFalse(listener.calls.contains("sender ceo@mx.test"));
    }

    @Test
    void startTlsDiscardsPlaintextInjectedAfterTheCommand() throws Exception {
        InetSocketAddress address = start(TlsMode.STARTTLS, 10, 60);
        try (TestSmtpClient c = new TestSmtpClient(address)) {
            c.reply();
            assertTrue(c.command("EHLO client.test").contains("250 STARTTLS\r\n"));
            // one write, so both lines arrive together: the CVE-2011-0411 attack
            c.send("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n");
            assertEquals("220 2.0.0 ready to start TLS\r\n", c.reply());
            c.upgradeToTls();
            String ehlo = c.command("EHLO client.test");
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            transaction(c, "secret\r\n");
            assertEquals("250 2.0.0 queued as 42\r\n", c.reply());
        }
        assertFalse(listener.calls.contains("sender injected@evil.test"), listener.calls.toString());
        RecordingListener.Delivery d = listener.deliveries.get(0);
        assertEquals("ESMTPS", d.session().protocol());
        assertNotNull(d.session().tlsProtocol());
        assertNotNull(d.session().tlsCipher());
    }

    @Test
    void implicitTlsGreetsAfterTheHandshake() throws Exception {
        InetSocketAddress address = start(TlsMode.IMPLICIT, 10, 60);
        try (TestSmtpClient c = TestSmtpClient.implicitTls(address)) {
            assertEquals("220 mx.test ESMTP Merpati ready\r\n", c.reply());
            assertTrue(c.tlsProtocol().startsWith("TLSv1."));
            assertFalse(c.command("EHLO client.test").contains("STARTTLS"));
        }
    }

    @Test
    void connectionsPerAddressAreLimited() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, 2, 60);
        try (TestSmtpClient one = new TestSmtpClient(address); TestSmtpClient two = new TestSmtpClient(address)) {
            assertTrue(one.reply().startsWith("220 "));
            assertTrue(two.reply().startsWith("220 "));
            try (TestSmtpClient three = new TestSmtpClient(address)) {
                assertEquals("421 4.7.0 mx.test too many connections, try again later\r\n", three.reply());
                assertNull(three.reply(), "refused connection is closed");
            }
            assertEquals("250 ok\r\n", one.command("NOOP"), "the admitted ones are unaffected (no EHLO yet: no enhanced code)");
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, 10, 1);
        try (TestSmtpClient c = new TestSmtpClient(address)) {
            c.reply();
            c.command("EHLO client.test");
            assertEquals("421 4.4.2 mx.test idle timeout, closing connection\r\n", c.reply());
            assertNull(c.reply());
        }
    }

    @Test
    void listenerFailureIs451AndTheListenerKeepsServing() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, 10, 60);
        listener.throwOnDeliver = new IllegalStateException("database unavailable");
        try (TestSmtpClient c = new TestSmtpClient(address)) {
            c.reply();
            c.command("EHLO client.test");
            transaction(c, "first\r\n");
            String reply = c.reply();
            assertEquals("451 4.3.0 temporary failure delivering the message, try again later\r\n", reply);
            assertFalse(reply.contains("database"), "no internals on the wire");
        }
        try (TestSmtpClient c = new TestSmtpClient(address)) {
            c.reply();
            c.command("EHLO client.test");
            transaction(c, "second\r\n");
            assertEquals("250 2.0.0 queued as 42\r\n", c.reply());
        }
        assertEquals("second\r\n", listener.deliveries.get(0).content());
    }

    @Test
    void stopSaysGoodbyeAndFreesThePort() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, 10, 60);
        try (TestSmtpClient c = new TestSmtpClient(address)) {
            c.reply();
            c.command("EHLO client.test");
            started.remove(0).stop();
            assertEquals("421 4.3.2 mx.test service shutting down\r\n", c.reply());
            assertNull(c.reply());
        }
        org.merpati.connector.netty.TestPorts.awaitBindable(address, java.time.Duration.ofSeconds(10));
    }
}
