package org.merpati.connector.imap.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.access.ImapListener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.imap.proto.ImapSessionConfig;
import org.merpati.connector.imap.support.FakeImapListener;
import org.merpati.connector.imap.support.TestImapClient;
import org.merpati.connector.netty.ListenerSettings;
import org.merpati.connector.netty.NettyEventLoops;
import org.merpati.connector.netty.NettyListener;
import org.merpati.connector.netty.TlsMode;
import org.merpati.connector.spool.SpoolDirectory;

/** MULTIAPPEND (RFC 3502) transcripts on loopback against the fake store: all messages or none, no spool left. */
class ImapMultiAppendEndToEndTest {

    private static final String M1 = "From: Bob <bob@example.test>\r\nSubject: one\r\n\r\nfirst\r\n";
    private static final String M2 = "From: Bob <bob@example.test>\r\nSubject: two\r\n\r\nsecond\r\n";
    private static final String M3 = "From: Bob <bob@example.test>\r\nSubject: three\r\n\r\nthird\r\n";

    private static NettyEventLoops loops;
    private static ExecutorService workers;

    @TempDir
    Path dir;

    private FakeImapListener store;
    private NettyListener server;

    @BeforeAll
    static void startLoops() {
        loops = new NettyEventLoops(2, null);
        workers = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stopLoops() {
        workers.shutdownNow();
        loops.close();
    }

    @BeforeEach
    void fillStore() throws Exception {
        Files.createDirectories(dir.resolve("store"));
        store = new FakeImapListener(dir.resolve("store"));
        store.deliver("INBOX", M1);
        store.addMailbox("Archive", null);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private InetSocketAddress start() throws Exception {
        EndpointDispatcher<ImapListener> dispatcher = new EndpointDispatcher<>() {
            @Override
            public <T> CompletableFuture<T> call(Function<? super ImapListener, ? extends T> call) {
                return CompletableFuture.supplyAsync(() -> call.apply(store), workers);
            }
        };
        ImapSessionConfig config = new ImapSessionConfig("imap.test", 1000, 100_000, 6, 3, true, false, false, false, 10, 2);
        server = new NettyListener(new ListenerSettings("IMAP", "127.0.0.1", 0, TlsMode.NONE, 100, 20, 60), loops, null,
            new ImapProtocolHandlers(config, TlsMode.NONE, dispatcher, new SpoolDirectory(dir.resolve("spool")), 5, 120));
        return new InetSocketAddress("127.0.0.1", server.start().getPort());
    }

    private long spoolFiles() throws Exception {
        Path spool = dir.resolve("spool");
        if (!Files.exists(spool)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.count();
        }
    }

    private long validity(String mailbox) {
        return 1_700_000_000L + store.mailbox(mailbox).id;
    }

    @Test
    void threeMessagesOfEveryLiteralKindGetOneAppenduidWithASet() throws Exception {
        try (TestImapClient c = new TestImapClient(start())) {
            c.line();
            c.login();
            assertTrue(c.command("a0", "CAPABILITY").get(0).contains(" MULTIAPPEND "), "advertised");
            assertTrue(TestImapClient.last(c.command("a1", "SELECT INBOX")).startsWith("a1 OK"));
            // a synchronizing literal, then LITERAL+ with flags and a date, then a literal8
            c.send("a2 APPEND INBOX (\\Seen) {" + M1.length() + "}\r\n");
            assertEquals("+ Ready for literal data", c.line());
            c.send(M1 + " (\\Flagged $Work) \"15-Jan-2026 10:00:00 +0100\" {" + M2.length() + "+}\r\n" + M2
                + " ~{" + M3.length() + "}\r\n");
            assertEquals("+ Ready for literal data", c.line());
            c.send(M3 + "\r\n");
            assertEquals("a2 OK [APPENDUID " + validity("INBOX") + " 2:4] APPEND completed", TestImapClient.last(c.until("a2")));
            assertTrue(store.calls.contains("appendAll INBOX 3"), store.calls.toString());
            List<String> flags = c.command("a3", "UID FETCH 2:4 (FLAGS INTERNALDATE)");
            assertTrue(flags.get(0).contains("UID 2 ") && flags.get(0).contains("FLAGS (\\Seen)"), flags.get(0));
            assertTrue(flags.get(1).matches(".*FLAGS \\((\\\\Flagged \\$Work|\\$Work \\\\Flagged)\\).*") && flags.get(1).contains("INTERNALDATE \"15-Jan-2026 09:00:00 +0000\""),
                flags.get(1));
            assertEquals(0, spoolFiles(), "spool files deleted");
            // into another mailbox: nothing announced in the selected one
            assertEquals(List.of("a4 OK [APPENDUID " + validity("Archive") + " 1:2] APPEND completed"),
                c.command("a4", "APPEND Archive {" + M1.length() + "+}\r\n" + M1 + " {" + M2.length() + "+}\r\n" + M2));
        }
    }

    /** The form ear's imap-basics.txt uses: a line-based runner whose "tag" is each line's first word. */
    @Test
    void headerOnlyMessagesAfterATagThatLooksLikeAHeader() throws Exception {
        try (TestImapClient c = new TestImapClient(start())) {
            c.line();
            c.login();
            c.send("Subject: APPEND INBOX {24}\r\n");
            assertEquals("+ Ready for literal data", c.line());
            c.send("Subject: multiappend one {24}\r\n");
            assertEquals("+ Ready for literal data", c.line());
            c.send("Subject: multiappend two\r\n");
            assertEquals("Subject: OK [APPENDUID " + validity("INBOX") + " 2:3] APPEND completed", c.line());
        }
    }

    @Test
    void anOverLimitSecondLiteralIsRefusedBeforeItsContinuationAndNothingIsStored() throws Exception {
        try (TestImapClient c = new TestImapClient(start())) {
            c.line();
            c.login();
            c.send("b1 APPEND INBOX {" + M2.length() + "}\r\n");
            assertEquals("+ Ready for literal data", c.line());
            c.send(M2 + " {200000}\r\n");
            assertEquals("b1 NO [TOOBIG] message exceeds APPENDLIMIT 100000", c.line(), "no continuation for the second");
            assertEquals(List.of("b2 OK NOOP completed"), c.command("b2", "NOOP"), "still in step");
            assertEquals(1, store.quota(sessionOf()).messages(), "the first message is not stored either");
            assertEquals(0, spoolFiles(), "the first message's spool file deleted");
            assertTrue(store.calls.stream().noneMatch(x -> x.startsWith("append")), store.calls.toString());
        }
    }

    @Test
    void aBadLaterMessageIsBadAndAFullQuotaStoresNothing() throws Exception {
        try (TestImapClient c = new TestImapClient(start())) {
            c.line();
            c.login();
            assertEquals(List.of("c1 BAD bad date-time 31-Foo-2026 10:00:00 +0000"), c.command("c1",
                "APPEND INBOX {" + M2.length() + "+}\r\n" + M2 + " \"31-Foo-2026 10:00:00 +0000\" {" + M3.length() + "+}\r\n" + M3));
            assertEquals(List.of("c2 BAD unknown system flag \\Recent"), c.command("c2",
                "APPEND INBOX {" + M2.length() + "+}\r\n" + M2 + " (\\Recent) {" + M3.length() + "+}\r\n" + M3));
            assertEquals(0, spoolFiles());
            store.quotaLimit = store.quota(sessionOf()).usedBytes() + M2.length() + M3.length() - 1; // one byte short
            assertEquals(List.of("c3 NO [OVERQUOTA] quota exceeded"), c.command("c3",
                "APPEND INBOX {" + M2.length() + "+}\r\n" + M2 + " {" + M3.length() + "+}\r\n" + M3));
            assertEquals(List.of("c4 NO [TRYCREATE] no such mailbox"), c.command("c4",
                "APPEND Nowhere {" + M2.length() + "+}\r\n" + M2 + " {" + M3.length() + "+}\r\n" + M3));
            assertEquals(1, store.quota(sessionOf()).messages(), "nothing stored");
            assertEquals(0, spoolFiles(), "spool files deleted");
        }
    }

    @Test
    void aDisconnectInTheMiddleLeavesNoSpoolFile() throws Exception {
        try (TestImapClient c = new TestImapClient(start())) {
            c.line();
            c.login();
            c.send("d1 APPEND INBOX {" + M2.length() + "+}\r\n" + M2 + " {" + M3.length() + "}\r\n");
            assertEquals("+ Ready for literal data", c.line());
            c.send(M3.substring(0, 10));
            assertEquals(2, spoolFiles(), "each message in its own file");
        } // the client goes away with the second message half sent
        for (int i = 0; i < 100 && spoolFiles() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, spoolFiles(), "both spool files deleted on disconnect");
        assertEquals(1, store.quota(sessionOf()).messages());
    }

    private static org.merpati.connector.api.SessionInfo sessionOf() {
        return new org.merpati.connector.api.SessionInfo("t", "IMAP", "127.0.0.1", 1, null, "127.0.0.1", 143, null, null,
            FakeImapListener.USER);
    }
}
