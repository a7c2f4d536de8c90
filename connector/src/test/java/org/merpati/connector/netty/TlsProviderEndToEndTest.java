package org.merpati.connector.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.merpati.connector.api.MailDeliveryListener;
import org.merpati.connector.api.access.ImapListener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.imap.netty.ImapProtocolHandlers;
import org.merpati.connector.imap.proto.ImapSessionConfig;
import org.merpati.connector.imap.support.FakeImapListener;
import org.merpati.connector.smtp.netty.SmtpProtocolHandlers;
import org.merpati.connector.smtp.proto.RecordingListener;
import org.merpati.connector.smtp.proto.SmtpSessionConfig;
import org.merpati.connector.spool.SpoolDirectory;

/**
 * IMAP and SMTP over STARTTLS and implicit TLS on loopback, with each TLS provider on the server side: the
 * negotiated protocol is what the client asked for, and the session reports it. OpenSSL runs are skipped only where
 * its native library cannot load.
 */
class TlsProviderEndToEndTest {

    enum Provider { JDK, OPENSSL }

    private static NettyEventLoops loops;
    private static ExecutorService workers;

    @TempDir
    static Path tlsDir;
    @TempDir
    Path dir;

    private final List<NettyListener> started = new ArrayList<>();

    @BeforeAll
    static void startLoops() {
        loops = new NettyEventLoops(2, null);
        workers = Executors.newFixedThreadPool(2);
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

    private SslContext tls(Provider provider) throws Exception {
        if (provider == Provider.OPENSSL) {
            assumeTrue(OpenSsl.isAvailable(), () -> "OpenSSL unavailable here: " + OpenSsl.unavailabilityCause());
        }
        return TlsContextFactory.create(new TlsSettings("localhost", tlsDir.resolve("merpati.p12"), "secret", null, null),
            TlsProviderSetting.valueOf(provider.name()));
    }

    private static <L> EndpointDispatcher<L> dispatcherTo(L target) {
        return new EndpointDispatcher<>() {
            @Override
            public <T> CompletableFuture<T> call(Function<? super L, ? extends T> call) {
                return CompletableFuture.supplyAsync(() -> call.apply(target), workers);
            }
        };
    }

    private InetSocketAddress startImap(Provider provider, TlsMode mode, FakeImapListener store) throws Exception {
        ImapSessionConfig config = new ImapSessionConfig("imap.test", 1000, 100_000, 6, 3, false,
            mode == TlsMode.STARTTLS, mode == TlsMode.IMPLICIT, true, 10, 50);
        EndpointDispatcher<ImapListener> dispatcher = dispatcherTo(store);
        return start(new NettyListener(new ListenerSettings("IMAP", "127.0.0.1", 0, mode, 100, 20, 60), loops, tls(provider),
            new ImapProtocolHandlers(config, mode, dispatcher, new SpoolDirectory(dir.resolve("spool")), 5, 120)));
    }

    private InetSocketAddress startSmtp(Provider provider, TlsMode mode, RecordingListener listener) throws Exception {
        SmtpSessionConfig config = new SmtpSessionConfig("mx.test", false, 1000, 100_000, 10, 10, false, mode == TlsMode.STARTTLS);
        EndpointDispatcher<MailDeliveryListener> dispatcher = dispatcherTo(listener);
        return start(new NettyListener(new ListenerSettings("SMTP", "127.0.0.1", 0, mode, 100, 20, 60), loops, tls(provider),
            new SmtpProtocolHandlers(config, mode, dispatcher, new SpoolDirectory(dir.resolve("spool")))));
    }

    private InetSocketAddress start(NettyListener listener) throws Exception {
        InetSocketAddress bound = listener.start();
        started.add(listener);
        return new InetSocketAddress("127.0.0.1", bound.getPort());
    }

    private FakeImapListener store() throws Exception {
        Files.createDirectories(dir.resolve("store"));
        FakeImapListener store = new FakeImapListener(dir.resolve("store"));
        store.deliver("INBOX", "From: bob@example.test\r\nSubject: Hello\r\n\r\nHello Alice\r\n");
        return store;
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void imapStartTls(Provider provider) throws Exception {
        InetSocketAddress address = startImap(provider, TlsMode.STARTTLS, store());
        try (LineClient c = new LineClient(address)) {
            assertTrue(c.line().contains(" STARTTLS"));
            assertEquals("t1 OK begin TLS negotiation now", c.command("t1 STARTTLS"));
            c.upgradeToTls("TLSv1.3", "TLSv1.2");
            assertEquals("TLSv1.3", c.tlsProtocol());
            assertTrue(c.command("t2 LOGIN " + FakeImapListener.USER + " " + FakeImapListener.PASSWORD).startsWith("t2 OK"));
            c.send("t3 SELECT INBOX\r\n");
            assertTrue(c.lineStartingWith("t3 ").startsWith("t3 OK [READ-WRITE]"));
            c.send("t4 FETCH 1 BODY[TEXT]\r\n");
            assertEquals("* 1 FETCH (FLAGS (\\Seen) BODY[TEXT] {13}", c.line());
            assertEquals("Hello Alice", c.line());
            assertEquals(")", c.line());
            assertEquals("t4 OK FETCH completed", c.line());
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void imapImplicitTlsWithTls12(Provider provider) throws Exception {
        InetSocketAddress address = startImap(provider, TlsMode.IMPLICIT, store());
        try (LineClient c = new LineClient(address)) {
            c.upgradeToTls("TLSv1.2");
            assertEquals("TLSv1.2", c.tlsProtocol());
            assertTrue(c.line().startsWith("* OK [CAPABILITY "));
            assertTrue(c.command("t1 LOGIN " + FakeImapListener.USER + " " + FakeImapListener.PASSWORD).startsWith("t1 OK"));
            assertEquals("* BYE imap.test logging out", c.command("t2 LOGOUT"));
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void smtpStartTls(Provider provider) throws Exception {
        RecordingListener listener = new RecordingListener();
        InetSocketAddress address = startSmtp(provider, TlsMode.STARTTLS, listener);
        String cipher;
        try (LineClient c = new LineClient(address)) {
            assertEquals("220 mx.test ESMTP Merpati ready", c.line());
            c.send("EHLO client.test\r\n");
            assertEquals("250 STARTTLS", c.lineStartingWith("250 "));
            assertEquals("220 2.0.0 ready to start TLS", c.command("STARTTLS"));
            c.upgradeToTls("TLSv1.3", "TLSv1.2");
            cipher = c.cipherSuite();
            c.send("EHLO client.test\r\n");
            c.lineStartingWith("250 ");
            sendMessage(c);
        }
        assertEquals("TLSv1.3", listener.deliveries.get(0).session().tlsProtocol());
        assertEquals(cipher, listener.deliveries.get(0).session().tlsCipher());
        assertEquals("ESMTPS", listener.deliveries.get(0).session().protocol());
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void smtpImplicitTlsWithTls12(Provider provider) throws Exception {
        RecordingListener listener = new RecordingListener();
        InetSocketAddress address = startSmtp(provider, TlsMode.IMPLICIT, listener);
        try (LineClient c = new LineClient(address)) {
            c.upgradeToTls("TLSv1.2");
            assertEquals("220 mx.test ESMTP Merpati ready", c.line());
            c.send("EHLO client.test\r\n");
            c.lineStartingWith("250 ");
            sendMessage(c);
        }
        assertEquals("TLSv1.2", listener.deliveries.get(0).session().tlsProtocol());
        assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", listener.deliveries.get(0).session().tlsCipher());
    }

    private static void sendMessage(LineClient c) throws IOException {
        assertEquals("250 2.1.0 sender <a@b.test> ok", c.command("MAIL FROM:<a@b.test>"));
        assertEquals("250 2.1.5 recipient <c@mx.test> ok", c.command("RCPT TO:<c@mx.test>"));
        assertEquals("354 end data with <CR><LF>.<CR><LF>", c.command("DATA"));
        assertEquals("250 2.0.0 queued as 42", c.command("Subject: tls\r\n\r\nover TLS\r\n."));
        assertEquals("221 2.0.0 mx.test closing connection", c.command("QUIT"));
    }

    /** A line-at-a-time client whose TLS protocols the test chooses. */
    private static final class LineClient implements AutoCloseable {

        private final InetSocketAddress address;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        LineClient(InetSocketAddress address) throws IOException {
            this.address = address;
            socket = new Socket();
            socket.connect(address, 20_000);
            socket.setSoTimeout(20_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Sends one line and returns the first line of the answer. */
        String command(String line) throws IOException {
            send(line + "\r\n");
            return line();
        }

        String line() throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                buf.write(b);
            }
            String line = buf.toString(StandardCharsets.UTF_8);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }

        String lineStartingWith(String prefix) throws IOException {
            String line;
            do {
                line = line();
            } while (!line.startsWith(prefix) && !line.isEmpty());
            return line;
        }

        void upgradeToTls(String... protocols) throws Exception {
            SSLContext ctx = TrustingTls.context();
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket, address.getHostString(), address.getPort(), true);
            tls.setUseClientMode(true);
            tls.setEnabledProtocols(protocols);
            tls.startHandshake();
            socket = tls;
            in = tls.getInputStream();
            out = tls.getOutputStream();
        }

        String tlsProtocol() {
            return ((SSLSocket) socket).getSession().getProtocol();
        }

        String cipherSuite() {
            return ((SSLSocket) socket).getSession().getCipherSuite();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
