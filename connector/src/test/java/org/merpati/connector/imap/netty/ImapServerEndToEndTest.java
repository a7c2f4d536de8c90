package org.merpati.connector.imap.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.merpati.connector.imap.support.TestImapClient.last;

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
import java.util.function.Function;
import java.util.stream.Stream;

import io.netty.handler.ssl.SslContext;

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
import org.merpati.connector.netty.TlsContextFactory;
import org.merpati.connector.netty.TlsMode;
import org.merpati.connector.netty.TlsSettings;
import org.merpati.connector.spool.SpoolDirectory;

/** IMAP transcripts against a real Netty listener on loopback, backed by an in-memory fake store. */
class ImapServerEndToEndTest {

    static final String MSG1 = "From: Bob <bob@example.test>\r\nTo: alice@example.test\r\nSubject: Hello\r\n"
        + "Date: Thu, 15 Jan 2026 10:00:00 +0000\r\nMessage-ID: <m1@example.test>\r\n\r\nHello Alice,\r\nsee you.\r\n";
    static final String MSG2 = "From: Carol <carol@example.test>\r\nTo: alice@example.test\r\nSubject: Report\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n--b1\r\n"
        + "Content-Type: application/octet-stream; name=\"r.bin\"\r\nContent-Transfer-Encoding: base64\r\n"
        + "Content-Disposition: attachment; filename=\"r.bin\"\r\n\r\nSGVsbG8gV29ybGQh\r\n--b1--\r\n";
    static final String MSG3 = "From: Dave <dave@example.test>\r\nSubject: Third\r\n\r\nthird body\r\n";

    private static NettyEventLoops loops;
    private static ExecutorService workers;
    private static SslContext tls;

    @TempDir
    static Path tlsDir;
    @TempDir
    Path dir;

    private FakeImapListener store;
    private final List<NettyListener> started = new ArrayList<>();

    @BeforeAll
    static void startLoops() throws Exception {
        loops = new NettyEventLoops(2, null);
        workers = Executors.newFixedThreadPool(4);
        tls = TlsContextFactory.create(new TlsSettings("localhost", tlsDir.resolve("merpati.p12"), "secret", null, null));
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
        store.deliver("INBOX", MSG1);
        store.deliver("INBOX", MSG2);
        store.addMailbox("Archive", null);
        store.addMailbox("Archive/2026", null);
        store.addMailbox("Sent", "\\Sent");
    }

    @AfterEach
    void stopListeners() {
        started.forEach(NettyListener::stop);
    }

    private InetSocketAddress start(TlsMode mode, boolean allowPlaintext) throws Exception {
        EndpointDispatcher<ImapListener> dispatcher = new EndpointDispatcher<>() {
            @Override
            public <T> CompletableFuture<T> call(Function<? super ImapListener, ? extends T> call) {
                return CompletableFuture.supplyAsync(() -> call.apply(store), workers);
            }
        };
        ImapSessionConfig config = new ImapSessionConfig("imap.test", 1000, 100_000, 6, 3, allowPlaintext,
            mode == TlsMode.STARTTLS, mode == TlsMode.IMPLICIT, true, 10, 2);
        NettyListener server = new NettyListener(new ListenerSettings("IMAP", "127.0.0.1", 0, mode, 100, 20, 60), loops,
            mode == TlsMode.NONE ? null : tls,
            new ImapProtocolHandlers(config, mode, dispatcher, new SpoolDirectory(dir.resolve("spool")), 5, 120));
        InetSocketAddress bound = server.start();
        started.add(server);
        return new InetSocketAddress("127.0.0.1", bound.getPort());
    }

    private static boolean has(List<String> lines, String line) {
        return lines.contains(line);
    }

    @Test
    void loginListSelectAndFetchSections() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true);
        try (TestImapClient c = new TestImapClient(address)) {
            String greeting = c.line();
            assertTrue(greeting.startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 LITERAL+ "), greeting);
            assertTrue(greeting.contains(" AUTH=PLAIN") && !greeting.contains("LOGINDISABLED"), greeting);
            c.login();

            List<String> list = c.command("a1", "LIST \"\" \"*\"");
            assertEquals(List.of("* LIST (\\HasNoChildren) \"/\" INBOX", "* LIST (\\HasChildren) \"/\" \"Archive\"",
                "* LIST (\\HasNoChildren) \"/\" \"Archive/2026\"", "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"",
                "a1 OK LIST completed"), list);
            assertEquals(List.of("* LIST (\\HasChildren) \"/\" \"Archive\"", "a2 OK LIST completed"),
                c.command("a2", "LIST \"\" %r%"));
            assertEquals(List.of("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"", "a3 OK LIST completed"),
                c.command("a3", "LIST (SPECIAL-USE) \"\" \"*\""));
            List<String> status = c.command("a4", "STATUS INBOX (MESSAGES UIDNEXT UNSEEN APPENDLIMIT)");
            assertEquals("* STATUS INBOX (MESSAGES 2 UIDNEXT 3 UNSEEN 2 APPENDLIMIT 100000)", status.get(0));

            List<String> select = c.command("a5", "SELECT INBOX");
            assertTrue(has(select, "* 2 EXISTS"), select.toString());
            assertTrue(has(select, "* 0 RECENT"), select.toString());
            assertTrue(has(select, "* OK [UNSEEN 1] first unseen"), select.toString());
            assertTrue(has(select, "* OK [UIDNEXT 3] predicted next UID"), select.toString());
            assertEquals("a5 OK [READ-WRITE] SELECT completed", last(select));

            long size1 = MSG1.length();
            assertEquals(List.of("* 1 FETCH (UID 1 FLAGS () RFC822.SIZE " + size1 + ")", "a6 OK FETCH completed"),
                c.command("a6", "FETCH 1 (UID FLAGS RFC822.SIZE)"));
            assertEquals(List.of("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: Hello\r\n\r\n)", "a7 OK FETCH completed"),
                c.command("a7", "FETCH 1 BODY.PEEK[HEADER.FIELDS (Subject)]"));
            // non-PEEK sets \Seen and reports it
            assertEquals(List.of("* 1 FETCH (FLAGS (\\Seen) BODY[TEXT]<0> {5}\r\nHello)", "a8 OK FETCH completed"),
                c.command("a8", "FETCH 1 BODY[TEXT]<0.5>"));
            assertEquals(List.of("* 1 FETCH (BODY[TEXT]<6> {18}\r\nAlice,\r\nsee you.\r\n)", "a9 OK FETCH completed"),
                c.command("a9", "FETCH 1 BODY[TEXT]<6.100>"));

            List<String> structure = c.command("b1", "FETCH 2 BODYSTRUCTURE");
            assertEquals("* 2 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"utf-8\") NIL NIL \"7BIT\" 13 0 NIL NIL NIL NIL)"
                + "(\"APPLICATION\" \"OCTET-STREAM\" (\"NAME\" \"r.bin\") NIL NIL \"BASE64\" 16 NIL (\"ATTACHMENT\" (\"FILENAME\" \"r.bin\")) NIL NIL)"
                + " \"MIXED\" (\"BOUNDARY\" \"b1\") NIL NIL NIL))", structure.get(0));
            List<String> parts = c.command("b2", "FETCH 2 (BODY.PEEK[1] BINARY.PEEK[2] BINARY.SIZE[2] BODY.PEEK[2.MIME])");
            assertEquals("* 2 FETCH (BODY[1] {13}\r\nSee attached. BINARY[2] ~{12}\r\nHello World! BINARY.SIZE[2] 12 "
                + "BODY[2.MIME] {142}\r\nContent-Type: application/octet-stream; name=\"r.bin\"\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"r.bin\"\r\n\r\n)", parts.get(0));
            assertEquals(List.of("* 2 FETCH (UID 2 BODY[]<0> {4}\r\nFrom)", "b3 OK UID FETCH completed"),
                c.command("b3", "UID FETCH 2 BODY.PEEK[]<0.4>"));
            List<String> envelope = c.command("b4", "FETCH 1 ENVELOPE");
            assertEquals("* 1 FETCH (ENVELOPE (\"Thu, 15 Jan 2026 10:00:00 +0000\" \"Hello\" ((\"Bob\" NIL \"bob\" \"example.test\"))"
                + " ((\"Bob\" NIL \"bob\" \"example.test\")) ((\"Bob\" NIL \"bob\" \"example.test\")) ((NIL NIL \"alice\" \"example.test\"))"
                + " NIL NIL NIL \"<m1@example.test>\"))", envelope.get(0));
            // batches of 2: three messages stream in two endpoint calls, in order
            store.deliver("INBOX", MSG3);
            List<String> all = c.command("b5", "UID FETCH 1:* (FLAGS)");
            assertTrue(all.contains("* 3 EXISTS"), all.toString());
            List<String> fetches = c.command("b6", "FETCH 1:* RFC822.SIZE");
            assertEquals(4, fetches.size(), fetches.toString());
            assertEquals("* 3 FETCH (RFC822.SIZE " + MSG3.length() + ")", fetches.get(2));
            assertEquals(List.of("* BYE imap.test logging out", "z OK LOGOUT completed"), c.command("z", "LOGOUT"));
            assertNull(c.line());
        }
    }

    @Test
    void storeSearchAndExpungeWithPendingUpdates() throws Exception {
        store.deliver("INBOX", MSG3);
        InetSocketAddress address = start(TlsMode.NONE, true);
        try (TestImapClient c = new TestImapClient(address)) {
            c.line();
            c.login();
            c.command("s0", "SELECT INBOX");
            assertEquals(List.of("* 1 FETCH (FLAGS (\\Flagged))", "s1 OK STORE completed"), c.command("s1", "STORE 1 +FLAGS (\\Flagged)"));
            assertEquals(List.of("* SEARCH 1", "s2 OK SEARCH completed"), c.command("s2", "SEARCH FLAGGED"));
            assertEquals(List.of("* SEARCH 2", "s3 OK SEARCH completed"), c.command("s3", "SEARCH SUBJECT report"));
            assertEquals(List.of("* ESEARCH (TAG \"s4\") UID MIN 2 MAX 3 COUNT 2", "s4 OK UID SEARCH completed"),
                c.command("s4", "UID SEARCH RETURN (MIN MAX COUNT) UNFLAGGED"));
            assertEquals(List.of("s5 NO [BADCHARSET (UTF-8 US-ASCII)] charset KOI8-R not supported"),
                c.command("s5", "SEARCH CHARSET KOI8-R ALL"));
            // SEARCHRES: save, then use $
            assertEquals(List.of("s6 OK UID SEARCH completed"), c.command("s6", "UID SEARCH RETURN (SAVE) UNFLAGGED"));
            assertEquals(List.of("* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)", "s7 OK FETCH completed"), c.command("s7", "FETCH $ (UID)"));

            // another client expunges message 1: not announced during FETCH (sequence numbers), then at NOOP
            store.setFlags("INBOX", 1, "\\Deleted");
            store.expungeOutside("INBOX", 1);
            List<String> fetch = c.command("s8", "FETCH 1:* (UID)");
            assertFalse(fetch.stream().anyMatch(l -> l.endsWith("EXPUNGE")), fetch.toString());
            assertEquals(List.of("* 2 FETCH (UID 2)", "* 3 FETCH (UID 3)", "s8 OK FETCH completed"), fetch);
            List<String> store1 = c.command("s9", "STORE 2 +FLAGS.SILENT (\\Seen)");
            assertFalse(store1.stream().anyMatch(l -> l.endsWith("EXPUNGE")), store1.toString());
            assertEquals(List.of("* 1 EXPUNGE", "s10 OK NOOP completed"), c.command("s10", "NOOP"));
            assertEquals(List.of("* 1 FETCH (UID 2)", "s11 OK FETCH completed"), c.command("s11", "FETCH 1 (UID)"));

            // own expunge
            c.command("s12", "STORE 1 +FLAGS.SILENT (\\Deleted)");
            assertEquals(List.of("* 1 EXPUNGE", "s13 OK EXPUNGE completed"), c.command("s13", "EXPUNGE"));
            assertEquals(List.of("* 1 FETCH (UID 3)", "s14 OK FETCH completed"), c.command("s14", "FETCH 1:* (UID)"));
            // CONDSTORE: UNCHANGEDSINCE 1 fails for a message changed later
            List<String> cond = c.command("s15", "STORE 1 (UNCHANGEDSINCE 1) +FLAGS (\\Answered)");
            assertEquals("s15 OK [MODIFIED 1] conditional STORE failed", last(cond));
            List<String> modseq = c.command("s16", "FETCH 1 (MODSEQ)");
            assertTrue(modseq.get(0).matches("\\* 1 FETCH \\(MODSEQ \\(\\d+\\)\\)"), modseq.toString());
        }
    }

    @Test
    void appendCopyAndMove() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true);
        try (TestImapClient c = new TestImapClient(address)) {
            c.line();
            c.login();
            long archiveValidity = 1_700_000_000L + store.mailbox("Archive").id;
            c.send("p1 APPEND Archive (\\Seen) \"15-Jan-2026 10:00:00 +0100\" {" + MSG3.length() + "}\r\n");
            assertEquals("+ Ready for literal data", c.line());
            c.send(MSG3 + "\r\n");
            assertEquals("p1 OK [APPENDUID " + archiveValidity + " 1] APPEND completed", c.line());
            // LITERAL+: no continuation
            c.send("p2 APPEND Archive {" + MSG1.length() + "+}\r\n" + MSG1 + "\r\n");
            assertEquals("p2 OK [APPENDUID " + archiveValidity + " 2] APPEND completed", c.line());
            assertEquals(List.of("p3 NO [TRYCREATE] no such mailbox"), c.command("p3", "APPEND Nowhere {1+}\r\nx"));
            try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
                assertEquals(0, files.count(), "spool files deleted after APPEND");
            }
            c.command("p4", "SELECT INBOX");
            assertEquals(List.of("p5 OK [COPYUID " + archiveValidity + " 1 3] COPY completed"), c.command("p5", "COPY 1 Archive"));
            assertEquals(List.of("p6 NO [TRYCREATE] no such mailbox"), c.command("p6", "COPY 1 Nope"));
            assertEquals(List.of("* OK [COPYUID " + archiveValidity + " 2 4]", "* 2 EXPUNGE", "p7 OK UID MOVE completed"),
                c.command("p7", "UID MOVE 2 Archive"));
            List<String> st = c.command("p8", "STATUS Archive (MESSAGES)");
            assertEquals("* STATUS \"Archive\" (MESSAGES 4)", st.get(0));
            assertEquals(List.of("p9 OK CREATE completed"), c.command("p9", "CREATE Trash (USE (\\Trash))"));
            assertEquals(List.of("p10 NO [ALREADYEXISTS] mailbox exists"), c.command("p10", "CREATE Trash"));
            assertEquals(List.of("p11 OK RENAME completed"), c.command("p11", "RENAME Trash Bin"));
            assertEquals(List.of("p12 NO [CANNOT] INBOX cannot be deleted"), c.command("p12", "DELETE INBOX"));
            List<String> quota = c.command("p13", "GETQUOTAROOT INBOX");
            assertEquals("* QUOTAROOT INBOX \"\"", quota.get(0));
            assertTrue(quota.get(1).startsWith("* QUOTA \"\" (STORAGE "), quota.toString());
        }
    }

    @Test
    void idleReceivesChangesPublishedOnTheBus() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true);
        try (TestImapClient c = new TestImapClient(address)) {
            c.line();
            c.login();
            c.command("i0", "SELECT INBOX");
            c.send("i1 IDLE\r\n");
            assertEquals("+ idling", c.line());
            store.deliver("INBOX", MSG3);
            assertEquals("* 3 EXISTS", c.line());
            store.setFlags("INBOX", 1, "\\Flagged");
            assertEquals("* 1 FETCH (UID 1 FLAGS (\\Flagged))", c.line());
            store.expungeOutside("INBOX", 2);
            assertEquals("* 2 EXPUNGE", c.line());
            c.send("DONE\r\n");
            assertEquals("i1 OK IDLE terminated", c.line());
            assertEquals(List.of("* 2 FETCH (UID 3)", "i2 OK FETCH completed"), c.command("i2", "FETCH 2 (UID)"));
        }
    }

    @Test
    void ownChangesNeedNoPollWhileAnotherClientsChangeInBetweenIsStillReported() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true);
        try (TestImapClient c = new TestImapClient(address)) {
            c.line();
            c.login();
            c.command("o0", "SELECT INBOX");
            store.calls.clear();
            assertEquals(List.of("* 1 FETCH (FLAGS (\\Seen))", "* 2 FETCH (FLAGS (\\Seen))", "o1 OK STORE completed"),
                c.command("o1", "STORE 1:2 +FLAGS (\\Seen)"));
            List<String> appended = c.command("o2", "APPEND INBOX {" + MSG3.length() + "+}\r\n" + MSG3);
            assertEquals("* 3 EXISTS", appended.get(0));
            assertTrue(last(appended).startsWith("o2 OK [APPENDUID "), appended.toString());
            assertFalse(store.calls.stream().anyMatch(call -> call.startsWith("changesSince")),
                "the session knew its own changes: " + store.calls);

            store.setFlags("INBOX", 2, "\\Flagged");
            List<String> stored = c.command("o3", "STORE 1 +FLAGS (\\Answered)");
            assertTrue(stored.contains("* 2 FETCH (UID 2 FLAGS (\\Flagged))"), stored.toString());
            assertTrue(store.calls.stream().anyMatch(call -> call.startsWith("changesSince")), store.calls.toString());
            String flags = c.command("o4", "FETCH 1 FLAGS").get(0); // the fake store keeps flags in a set: any order
            assertTrue(flags.startsWith("* 1 FETCH (FLAGS (") && flags.contains("\\Seen") && flags.contains("\\Answered"),
                flags);
        }
    }

    @Test
    void startTlsDiscardsInjectedPlaintextAndLoginIsDisabledBefore() throws Exception {
        InetSocketAddress address = start(TlsMode.STARTTLS, false);
        try (TestImapClient c = new TestImapClient(address)) {
            String greeting = c.line();
            assertTrue(greeting.contains(" STARTTLS") && greeting.contains(" LOGINDISABLED") && !greeting.contains("AUTH="), greeting);
            assertEquals(List.of("t1 NO [PRIVACYREQUIRED] LOGIN is disabled until STARTTLS"),
                c.command("t1", "LOGIN " + FakeImapListener.USER + " " + FakeImapListener.PASSWORD));
            c.send("t2 STARTTLS\r\nt3 LOGIN " + FakeImapListener.USER + " " + FakeImapListener.PASSWORD + "\r\n");
            assertEquals("t2 OK begin TLS negotiation now", c.line());
            c.upgradeToTls();
            List<String> caps = c.command("t4", "CAPABILITY");
            assertTrue(caps.get(0).contains("AUTH=PLAIN") && !caps.get(0).contains("STARTTLS") && !caps.get(0).contains("LOGINDISABLED"),
                caps.toString());
            assertFalse(store.calls.contains("authenticate " + FakeImapListener.USER), "the injected LOGIN never ran");
            String ir = Base64.getEncoder().encodeToString(("\0" + FakeImapListener.USER + "\0" + FakeImapListener.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
            List<String> auth = c.command("t5", "AUTHENTICATE PLAIN " + ir);
            assertTrue(last(auth).startsWith("t5 OK [CAPABILITY "), auth.toString());
            assertTrue(c.command("t6", "SELECT INBOX").contains("* 2 EXISTS"));
        }
    }

    @Test
    void authenticateLoginWithContinuationsAndThrottledFailures() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true);
        try (TestImapClient c = new TestImapClient(address)) {
            c.line();
            List<String> boom = c.command("f0", "LOGIN boom x");
            assertEquals(List.of("f0 NO [SERVERBUG] internal error, the failure has been logged"), boom);
            c.send("f1 AUTHENTICATE LOGIN\r\n");
            assertEquals("+ VXNlcm5hbWU6", c.line());
            c.send(Base64.getEncoder().encodeToString(FakeImapListener.USER.getBytes(StandardCharsets.UTF_8)) + "\r\n");
            assertEquals("+ UGFzc3dvcmQ6", c.line());
            c.send(Base64.getEncoder().encodeToString("wrong".getBytes(StandardCharsets.UTF_8)) + "\r\n");
            assertEquals("f1 NO [AUTHENTICATIONFAILED] invalid credentials", c.line());
            assertEquals(List.of("f2 NO [AUTHENTICATIONFAILED] invalid credentials"), c.command("f2", "LOGIN a b"));
            assertEquals(List.of("f3 NO [AUTHENTICATIONFAILED] invalid credentials", "* BYE too many authentication failures"),
                List.of(c.command("f3", "LOGIN a b").get(0), c.line()));
            assertNull(c.line());
        }
    }

    @Test
    void badInputLeavesTheListenerAlive() throws Exception {
        InetSocketAddress address = start(TlsMode.NONE, true);
        try (TestImapClient c = new TestImapClient(address)) {
            c.line();
            c.send("x".repeat(1500) + "\r\n");
            assertEquals("* BAD line too long", c.line());
            assertEquals(List.of("n1 OK NOOP completed"), c.command("n1", "NOOP"));
            c.login();
            // refused before the continuation: the client never sends the bytes
            assertEquals(List.of("n2 NO [TOOBIG] message exceeds APPENDLIMIT 100000"), c.command("n2", "APPEND INBOX {200000}"));
            // a non-synchronizing literal over the limit is read and dropped
            c.send("n3 APPEND INBOX {150000+}\r\n" + "y".repeat(150000) + " more\r\n");
            assertEquals("n3 NO [TOOBIG] message exceeds APPENDLIMIT 100000", c.line());
            assertEquals(List.of("n4 BAD literal too large"), c.command("n4", "SELECT {5000}"));
            assertEquals(List.of("n5 OK NOOP completed"), c.command("n5", "NOOP"));
            assertEquals(List.of("* BAD missing tag"), List.of(sendAndRead(c, "\u0001\u0002 garbage\r\n")));
            assertEquals(List.of("n6 BAD unknown command FROB"), c.command("n6", "FROB"));
            assertEquals(List.of("n7 BAD FETCH not valid in this state"), c.command("n7", "FETCH 1 FLAGS"));
            c.send("n8 FROB\r\n");
            assertEquals("n8 BAD unknown command FROB", c.line());
            assertEquals("* BYE too many bad commands", c.line());
            assertNull(c.line());
        }
        try (TestImapClient c = new TestImapClient(address)) {
            assertTrue(c.line().startsWith("* OK "), "listener still serves new connections");
            c.login();
        }
    }

    private static String sendAndRead(TestImapClient c, String raw) throws Exception {
        c.send(raw);
        return c.line();
    }

    @Test
    void implicitTlsAndCompression() throws Exception {
        InetSocketAddress address = start(TlsMode.IMPLICIT, false);
        try (TestImapClient c = new TestImapClient(address)) {
            c.upgradeToTls();
            assertTrue(c.line().startsWith("* OK [CAPABILITY "));
            c.login();
            assertTrue(c.command("c1", "SELECT INBOX").contains("* 2 EXISTS"));
        }
    }

    @Test
    void sortThreadAndQresync() throws Exception {
        store.deliver("INBOX", "From: Erin <erin@example.test>\r\nSubject: Re: Hello\r\nIn-Reply-To: <m1@example.test>\r\n"
            + "Date: Fri, 16 Jan 2026 10:00:00 +0000\r\n\r\nreply\r\n");
        InetSocketAddress address = start(TlsMode.NONE, true);
        try (TestImapClient c = new TestImapClient(address)) {
            c.line();
            c.login();
            assertEquals(List.of("* ENABLED QRESYNC", "q0 OK ENABLE completed"), c.command("q0", "ENABLE QRESYNC"));
            List<String> select = c.command("q1", "SELECT INBOX");
            String modseqLine = select.stream().filter(l -> l.startsWith("* OK [HIGHESTMODSEQ ")).findFirst().orElseThrow();
            long modseq = Long.parseLong(modseqLine.replaceAll("\\D+(\\d+).*", "$1"));
            assertEquals(List.of("* SORT 1 3 2", "q2 OK SORT completed"), c.command("q2", "SORT (SUBJECT) UTF-8 ALL"));
            assertEquals(List.of("* SORT 3 1 2", "q3 OK SORT completed"), c.command("q3", "SORT (REVERSE DATE) UTF-8 ALL"));
            assertEquals(List.of("* THREAD (1 3)(2)", "q4 OK THREAD completed"), c.command("q4", "THREAD REFERENCES UTF-8 ALL"));
            assertEquals(List.of("* THREAD (1 3)(2)", "q5 OK THREAD completed"), c.command("q5", "THREAD ORDEREDSUBJECT UTF-8 ALL"));
            // another client expunges 2 and flags 1; a QRESYNC re-select reports both
            store.setFlags("INBOX", 1, "\\Flagged");
            store.expungeOutside("INBOX", 2);
            List<String> resync = c.command("q6", "SELECT INBOX (QRESYNC (" + select.stream()
                .filter(l -> l.startsWith("* OK [UIDVALIDITY ")).findFirst().orElseThrow().replaceAll("\\D+(\\d+).*", "$1")
                + " " + modseq + "))");
            assertTrue(resync.contains("* OK [CLOSED] previous mailbox closed"), resync.toString());
            assertTrue(resync.contains("* VANISHED (EARLIER) 2"), resync.toString());
            assertTrue(resync.stream().anyMatch(l -> l.matches("\\* 1 FETCH \\(UID 1 FLAGS \\(\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)")),
                resync.toString());
            List<String> changed = c.command("q7", "UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + modseq + " VANISHED)");
            assertTrue(changed.contains("* VANISHED (EARLIER) 2"), changed.toString());
            // COMPRESS=DEFLATE: everything after the tagged OK is raw DEFLATE both ways
            assertEquals(List.of("q8 OK DEFLATE active"), c.command("q8", "COMPRESS DEFLATE"));
            java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
            deflater.setInput("q9 NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] out = new byte[256];
            int n = deflater.deflate(out, 0, out.length, java.util.zip.Deflater.SYNC_FLUSH);
            c.sendBytes(java.util.Arrays.copyOf(out, n));
            java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
            StringBuilder got = new StringBuilder();
            java.io.InputStream raw = c.rawInput();
            byte[] buf = new byte[256];
            while (!got.toString().contains("q9 OK")) {
                int r = raw.read(buf);
                assertTrue(r > 0, "connection open");
                inflater.setInput(buf, 0, r);
                int k;
                while ((k = inflater.inflate(out)) > 0) {
                    got.append(new String(out, 0, k, StandardCharsets.US_ASCII));
                }
            }
            assertEquals("q9 OK NOOP completed\r\n", got.toString());
        }
    }
}
