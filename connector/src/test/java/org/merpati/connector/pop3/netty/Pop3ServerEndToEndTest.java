package org.merpati.connector.pop3.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.netty.handler.ssl.SslContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.access.Pop3Listener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.netty.ListenerSettings;
import org.merpati.connector.netty.NettyEventLoops;
import org.merpati.connector.netty.NettyListener;
import org.merpati.connector.netty.TlsContextFactory;
import org.merpati.connector.netty.TlsMode;
import org.merpati.connector.netty.TlsSettings;
import org.merpati.connector.pop3.FakePop3Listener;
import org.merpati.connector.pop3.proto.MaildropLocks;
import org.merpati.connector.pop3.proto.Pop3SessionConfig;

/** The POP3 listener on a real loopback socket, with an in-memory maildrop behind a thread-pool dispatcher. */
class Pop3ServerEndToEndTest {

    private static final String ALICE = "alice@example.test";
    private static final String DOTS = "Subject: dots\r\n\r\n.\r\n..\r\n.leading dot\r\nplain\r\n";
    private static final String DOTS_STUFFED = "Subject: dots\r\n\r\n..\r\n...\r\n..leading dot\r\nplain\r\n.\r\n";

    private static NettyEventLoops loops;
    private static ExecutorService workers;
    private static SslContext tls;

    @TempDir
    static Path tlsDir;
    @TempDir
    Path store;

    private FakePop3Listener listener;
    private String big;
    private final List<NettyListener> started = new ArrayList<>();

    @BeforeAll
    static void startLoops() throws Exception {
        loops = new NettyEventLoops(2, null);
        workers = Executors.newFixedThreadPool(2);
        tls = TlsContextFactory.create(new TlsSettings("localhost", tlsDir.resolve("pop3.p12"), "secret", null, null));
    }

    @AfterAll
    static void stopLoops() {
        workers.shutdownNow();
        loops.close();
    }

    @BeforeEach
    void maildrop() throws Exception {
        listener = new FakePop3Listener(store);
        listener.addAccount(ALICE, "secret");
        listener.addMessage(ALICE, "Subject: first\r\n\r\nhello\r\n");
        listener.addMessage(ALICE, DOTS);
        StringBuilder b = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; b.length() < 4 * 1024 * 1024; i++) {
            b.append(i % 10 == 0 ? "." : "").append("line ").append(i).append(" of a message of a few megabytes\r\n");
        }
        big = b.toString();
        listener.addMessage(ALICE, big);
    }

    @AfterEach
    void stopListeners() throws Exception {
        started.forEach(NettyListener::stop);
        await(() -> !MaildropLocks.isLocked(ALICE), "lock released when the connections closed");
    }

    private InetSocketAddress start(TlsMode mode, boolean allowPlaintext, int idleSeconds) throws Exception {
        return start(mode, allowPlaintext, idleSeconds, 10);
    }

    private InetSocketAddress start(TlsMode mode, boolean allowPlaintext, int idleSeconds, int perIp) throws Exception {
        EndpointDispatcher<Pop3Listener> dispatcher = new EndpointDispatcher<>() {
            @Override
            public <T> CompletableFuture<T> call(Function<? super Pop3Listener, ? extends T> call) {
                return CompletableFuture.supplyAsync(() -> call.apply(listener), workers);
            }
        };
        Pop3SessionConfig config = new Pop3SessionConfig("pop.test", 8192, 5, 3, 100, allowPlaintext, mode == TlsMode.STARTTLS);
        NettyListener server = new NettyListener(new ListenerSettings("POP3", "127.0.0.1", 0, mode, 100, perIp, idleSeconds),
            loops, mode == TlsMode.NONE ? null : tls, new Pop3ProtocolHandlers(config, mode, dispatcher));
        InetSocketAddress bound = server.start();
        started.add(server);
        return new InetSocketAddress("127.0.0.1", bound.getPort());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void login(TestPop3Client c) throws Exception {
        assertEquals("+OK send PASS\r\n", c.command("USER " + ALICE));
        assertTrue(c.command("PASS secret").startsWith("+OK " + ALICE + " has "));
    }

    @Test
    void capaAndStlsThenLoginAndRetrOverTls() throws Exception {
        InetSocketAddress address = start(TlsMode.STARTTLS, false, 60);
        try (TestPop3Client c = new TestPop3Client(address)) {
            assertEquals("+OK pop.test POP3 Merpati ready\r\n", c.line());
            String capa = c.multiLine("CAPA");
            assertTrue(capa.contains("\r\nSTLS\r\n") && capa.contains("\r\nPIPELINING\r\n") && capa.contains("\r\nRESP-CODES\r\n"), capa);
            assertFalse(capa.contains("USER") || capa.contains("SASL"), "no plaintext login offered: " + capa);
            assertEquals("-ERR [AUTH] plaintext authentication is disallowed without TLS; use STLS first\r\n", c.command("USER " + ALICE));
            assertEquals("-ERR [AUTH] plaintext authentication is disallowed without TLS; use STLS first\r\n", c.command("PASS secret"));
            // one write: the CVE-2011-0411 injection must not survive the upgrade
            c.send("STLS\r\nUSER " + ALICE + "\r\n");
            assertEquals("+OK begin TLS negotiation\r\n", c.line());
            c.upgradeToTls();
            String after = c.multiLine("CAPA");
            assertTrue(after.contains("\r\nUSER\r\n") && after.contains("\r\nSASL PLAIN LOGIN\r\n"), after);
            assertFalse(after.contains("STLS"), after);
            assertEquals("-ERR USER first\r\n", c.command("PASS secret"), "the injected USER was discarded");
            login(c);
            assertEquals("+OK 2 " + DOTS.length() + "\r\n", c.command("LIST 2"));
            assertEquals("+OK " + DOTS.length() + " octets\r\n" + DOTS_STUFFED, c.multiLine("RETR 2"));
            String retrBig = c.multiLine("RETR 3");
            assertEquals(bigResponse(), retrBig, "a few MB through TLS, in chunks");
            assertEquals("+OK pop.test POP3 server signing off (3 messages left)\r\n", c.command("QUIT"));
            assertNull(c.line());
        }
        assertEquals("POP3S", listener.sessions.get(0).protocol());
        assertNotNull(listener.sessions.get(0).tlsCipher());
    }

    private String bigResponse() {
        return "+OK " + big.length() + " octets\r\n" + big.replace("\r\n.", "\r\n..") + ".\r\n";
    }

    @Test
    void largeMessageStreamsInPlainTextAndPipelinedCommandsWait() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true, 60);
        try (TestPop3Client c = new TestPop3Client(address)) {
            c.line();
            login(c);
            c.send("RETR 3\r\nNOOP\r\nRETR 3\r\nSTAT\r\n");
            String first = c.line() + c.body();
            assertEquals(bigResponse(), first);
            assertEquals("+OK\r\n", c.line());
            assertEquals(bigResponse(), c.line() + c.body());
            assertTrue(c.line().startsWith("+OK 3 "));
        }
    }

    @Test
    void implicitTlsGreetsAfterHandshakeAndAuthPlainWorks() throws Exception {
        InetSocketAddress address = start(TlsMode.IMPLICIT, false, 60);
        try (TestPop3Client c = TestPop3Client.implicitTls(address)) {
            assertEquals("+OK pop.test POP3 Merpati ready\r\n", c.line());
            assertTrue(c.tlsProtocol().startsWith("TLSv1."));
            String capa = c.multiLine("CAPA");
            assertTrue(capa.contains("\r\nUSER\r\n") && !capa.contains("STLS"), capa);
            assertTrue(c.command("AUTH PLAIN " + b64("\0" + ALICE + "\0secret")).startsWith("+OK " + ALICE + " has 3 messages"));
            assertEquals("+OK unique-id listing follows\r\n1 1700000000.1\r\n2 1700000000.2\r\n3 1700000000.3\r\n.\r\n",
                c.multiLine("UIDL"));
            assertEquals("+OK top of message follows\r\nSubject: dots\r\n\r\n..\r\n...\r\n.\r\n", c.multiLine("TOP 2 2"));
        }
    }

    @Test
    void secondSessionFindsTheMaildropInUseUntilTheFirstEnds() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true, 60);
        try (TestPop3Client first = new TestPop3Client(address); TestPop3Client second = new TestPop3Client(address)) {
            first.line();
            second.line();
            login(first);
            second.command("USER " + ALICE);
            assertEquals("-ERR [IN-USE] maildrop already locked by another session\r\n", second.command("PASS secret"));
            first.close(); // dropped, not QUIT
            await(() -> !MaildropLocks.isLocked(ALICE), "lock released by the dropped connection");
            login(second);
        }
    }

    @Test
    void deletionsAreAppliedOnlyByQuit() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true, 60);
        try (TestPop3Client c = new TestPop3Client(address)) {
            c.line();
            login(c);
            assertEquals("+OK message 1 deleted\r\n", c.command("DELE 1"));
            assertEquals("-ERR message 1 already deleted\r\n", c.command("RETR 1"));
            assertEquals(List.of(), listener.changes);
            assertEquals("+OK pop.test POP3 server signing off (2 messages left)\r\n", c.command("QUIT"));
            assertNull(c.line(), "closed after UPDATE");
        }
        assertEquals(List.of("store " + ALICE + " [1] ADD [\\Deleted]", "expunge " + ALICE + " [1]"), listener.changes);
        assertEquals(2, listener.uids(ALICE).length);
    }

    @Test
    void droppedConnectionAppliesNothing() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true, 60);
        try (TestPop3Client c = new TestPop3Client(address)) {
            c.line();
            login(c);
            assertEquals("+OK message 1 deleted\r\n", c.command("DELE 1"));
            assertEquals("+OK message 2 deleted\r\n", c.command("DELE 2"));
        }
        await(() -> !MaildropLocks.isLocked(ALICE), "session ended");
        assertEquals(List.of(), listener.changes);
        assertEquals(3, listener.uids(ALICE).length);
    }

    @Test
    void badInputLeavesTheListenerAlive() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true, 60);
        try (TestPop3Client c = new TestPop3Client(address)) {
            c.line();
            assertEquals("-ERR line too long\r\n", c.command("USER " + "x".repeat(9000)));
            assertEquals("-ERR bare CR or LF in command; lines end with CRLF\r\n", c.command("NOOP\nNOOP"));
            c.send("\u0016\u0003\u0001\u0002\u0000\r\n"); // a TLS hello on a clear text port
            assertEquals("-ERR unknown command\r\n", c.line());
            assertEquals("-ERR unknown command\r\n", c.command("GET / HTTP/1.1"));
            assertTrue(c.multiLine("CAPA").startsWith("+OK capability list follows\r\n"), "the session goes on");
        }
        try (TestPop3Client c = new TestPop3Client(address)) {
            assertEquals("+OK pop.test POP3 Merpati ready\r\n", c.line(), "still serving");
            login(c);
        }
    }

    @Test
    void tooManyErrorsClose() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true, 60);
        try (TestPop3Client c = new TestPop3Client(address)) {
            c.line();
            c.send("A\r\nB\r\nC\r\nD\r\nE\r\nF\r\n");
            for (int i = 0; i < 5; i++) {
                assertEquals("-ERR unknown command\r\n", c.line());
            }
            assertEquals("-ERR too many errors, closing connection\r\n", c.line());
            assertNull(c.line());
        }
    }

    @Test
    void failedLoginsAreThrottledThenTheConnectionCloses() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true, 60);
        try (TestPop3Client c = new TestPop3Client(address)) {
            c.line();
            long t0 = System.nanoTime();
            c.command("USER " + ALICE);
            assertEquals("-ERR [AUTH] authentication failed\r\n", c.command("PASS wrong"));
            c.command("USER " + ALICE);
            assertEquals("-ERR [AUTH] authentication failed\r\n", c.command("PASS wrong"));
            c.command("USER " + ALICE);
            assertEquals("-ERR [AUTH] authentication failed; too many failures, closing connection\r\n", c.command("PASS wrong"));
            assertNull(c.line());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 100 + 200 + 400, "delays 100, 200, 400 ms: took " + ms);
        }
    }

    @Test
    void idleConnectionIsClosed() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true, 1);
        try (TestPop3Client c = new TestPop3Client(address)) {
            c.line();
            login(c);
            c.command("DELE 1");
            assertEquals("-ERR idle timeout, closing connection\r\n", c.line());
            assertNull(c.line());
        }
        await(() -> !MaildropLocks.isLocked(ALICE), "session ended");
        assertEquals(List.of(), listener.changes);
    }

    @Test
    void missingBlobIsAnErrorNotADeadConnection() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true, 60);
        try (TestPop3Client c = new TestPop3Client(address)) {
            c.line();
            login(c);
            Files.delete(store.resolve("alice_example.test-1.eml"));
            assertEquals("-ERR [SYS/TEMP] message 1 cannot be read now\r\n", c.command("RETR 1"));
            assertEquals("+OK\r\n", c.command("NOOP"));
        }
    }

    @Test
    void connectionsOverTheLimitGetATemporaryError() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true, 60, 1);
        try (TestPop3Client one = new TestPop3Client(address)) {
            assertEquals("+OK pop.test POP3 Merpati ready\r\n", one.line());
            TestPop3Client two = new TestPop3Client(address);
            assertEquals("-ERR [SYS/TEMP] pop.test too many connections, try again later\r\n", two.line());
            assertNull(two.line());
            two.close();
        }
    }

    /**
     * A client that stops reading in the middle of a large RETR: the server writes only while the socket
     * drains (so it never reads the whole file ahead), and once nothing moved for the idle timeout it cuts the
     * connection, applying nothing.
     */
    @Test
    void stalledReaderIsCutOffByTheIdleTimeout() throws Exception {
        StringBuilder huge = new StringBuilder("Subject: huge\r\n\r\n");
        while (huge.length() < 24 * 1024 * 1024) {
            huge.append("0123456789".repeat(7)).append("\r\n");
        }
        listener.addMessage(ALICE, huge.toString());
        InetSocketAddress address = start(TlsMode.NONE, true, 1);
        try (TestPop3Client c = new TestPop3Client(address)) {
            c.line();
            login(c);
            c.command("DELE 1");
            c.send("RETR 4\r\n");
            Thread.sleep(3000); // read nothing: the server's writes stall, then idle fires
            long received = 0;
            byte[] buf = new byte[64 * 1024];
            int n;
            java.io.InputStream raw = c.rawInput();
            while ((n = raw.read(buf)) != -1) {
                received += n;
            }
            assertTrue(received < huge.length(), "connection cut before the end: " + received + " of " + huge.length());
        }
        await(() -> !MaildropLocks.isLocked(ALICE), "session ended");
        assertEquals(List.of(), listener.changes);
    }
}
