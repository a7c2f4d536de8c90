package org.merpati.connector.imap.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.merpati.connector.imap.support.TestImapClient.last;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

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

/**
 * Folder sharing as a client sees it (RFC 4314 ACL, RFC 2342 NAMESPACE): transcripts against a real Netty
 * listener on loopback, backed by the in-memory fake store with mailboxes of another owner shared with the user.
 */
class ImapAclEndToEndTest {

    static final String MSG = "From: Bob <bob@example.test>\r\nSubject: Plan\r\n\r\nthe plan\r\n";
    static final String BOB = "Other Users/bob@example.test/";

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
        store.addShared("bob@example.test", "Projects", "lr");
        store.deliver(BOB + "Projects", MSG);
        store.addShared("bob@example.test", "Projects/Reports", "lrw");
        store.deliver(BOB + "Projects/Reports", MSG);
        store.addShared("bob@example.test", "Hidden", "p");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private TestImapClient client() throws Exception {
        EndpointDispatcher<ImapListener> dispatcher = new EndpointDispatcher<>() {
            @Override
            public <T> CompletableFuture<T> call(Function<? super ImapListener, ? extends T> call) {
                return CompletableFuture.supplyAsync(() -> call.apply(store), workers);
            }
        };
        ImapSessionConfig config = new ImapSessionConfig("imap.test", 1000, 100_000, 6, 3, true, false, false, true,
            10, 2);
        server = new NettyListener(new ListenerSettings("IMAP", "127.0.0.1", 0, TlsMode.NONE, 100, 20, 60), loops, null,
            new ImapProtocolHandlers(config, TlsMode.NONE, dispatcher, new SpoolDirectory(dir.resolve("spool")), 5, 120));
        InetSocketAddress bound = server.start();
        TestImapClient c = new TestImapClient(new InetSocketAddress("127.0.0.1", bound.getPort()));
        c.line();
        c.login();
        return c;
    }

    @Test
    void capabilityNamespaceAndListShowTheOtherUsersNamespace() throws Exception {
        try (TestImapClient c = client()) {
            String caps = c.command("n0", "CAPABILITY").get(0);
            assertTrue(caps.contains(" ACL ") && caps.contains(" RIGHTS=texk"), caps);
            assertEquals(List.of("* NAMESPACE ((\"\" \"/\")) ((\"Other Users/\" \"/\")) ((\"Shared/\" \"/\"))", "n1 OK NAMESPACE completed"),
                c.command("n1", "NAMESPACE"));
            assertEquals(List.of("* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\Noselect \\HasChildren) \"/\" \"Other Users\"",
                "* LIST (\\Noselect \\HasChildren) \"/\" \"Other Users/bob@example.test\"",
                "* LIST (\\HasChildren) \"/\" \"Other Users/bob@example.test/Projects\"",
                "* LIST (\\HasNoChildren) \"/\" \"Other Users/bob@example.test/Projects/Reports\"",
                "n2 OK LIST completed"), c.command("n2", "LIST \"\" *"));
            assertEquals(List.of("* LIST (\\HasNoChildren) \"/\" INBOX",
                "* LIST (\\Noselect \\HasChildren) \"/\" \"Other Users\"", "n3 OK LIST completed"),
                c.command("n3", "LIST \"\" %"));
            assertEquals(List.of("* LIST (\\Noselect \\HasChildren) \"/\" \"Other Users/bob@example.test\"",
                "n4 OK LIST completed"), c.command("n4", "LIST \"Other Users/\" %"));
            List<String> status = c.command("n5", "LIST \"\" \"Other Users/*/Projects\" RETURN (STATUS (MESSAGES))");
            assertEquals(List.of("* LIST (\\HasChildren) \"/\" \"Other Users/bob@example.test/Projects\"",
                "* STATUS \"Other Users/bob@example.test/Projects\" (MESSAGES 1)", "n5 OK LIST completed"), status);
        }
    }

    @Test
    void selectFollowsTheRightsAndInvisibleLooksMissing() throws Exception {
        try (TestImapClient c = client()) {
            List<String> readOnly = c.command("s1", "SELECT \"" + BOB + "Projects\"");
            assertTrue(readOnly.contains("* OK [PERMANENTFLAGS ()] read-only"), readOnly.toString());
            assertEquals("s1 OK [READ-ONLY] SELECT completed", last(readOnly));
            assertEquals(List.of("* 1 FETCH (BODY[TEXT] {10}\r\nthe plan\r\n)", "s2 OK FETCH completed"),
                c.command("s2", "FETCH 1 BODY[TEXT]"));

            List<String> writable = c.command("s3", "SELECT \"" + BOB + "Projects/Reports\"");
            assertTrue(writable.contains("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Draft \\*)] flags permitted"),
                writable.toString());
            assertEquals("s3 OK [READ-WRITE] SELECT completed", last(writable));
            assertEquals(List.of("* 1 FETCH (BODY[TEXT] {10}\r\nthe plan\r\n)", "s4 OK FETCH completed"),
                c.command("s4", "FETCH 1 BODY[TEXT]"), "no \\Seen without the s right");
            assertEquals(List.of("s5 OK CLOSE completed"), c.command("s5", "CLOSE"), "no e: CLOSE just closes");
            assertTrue(store.calls.contains("myrights " + BOB + "Projects/Reports"), store.calls.toString());
            assertFalse(store.calls.contains("myrights INBOX"), "own mailboxes have every right: nothing to ask");

            assertEquals(List.of("s6 NO [NONEXISTENT] no such mailbox"), c.command("s6", "SELECT \"" + BOB + "Hidden\""));
            assertEquals(List.of("s7 NO [NONEXISTENT] no such mailbox"), c.command("s7", "SELECT \"" + BOB + "Nope\""));
            assertEquals(List.of("s8 NO [NONEXISTENT] no such mailbox"), c.command("s8", "MYRIGHTS \"" + BOB + "Hidden\""));
            assertEquals(List.of("s9 NO [NONEXISTENT] no such mailbox"), c.command("s9", "GETACL \"" + BOB + "Hidden\""));
            assertEquals(List.of("s10 NO [NOPERM] permission denied"), c.command("s10", "GETACL \"" + BOB + "Projects\""));
            assertEquals(List.of("* MYRIGHTS \"" + BOB + "Projects\" lr", "s11 OK MYRIGHTS completed"),
                c.command("s11", "MYRIGHTS \"" + BOB + "Projects\""));
            assertEquals(List.of("s12 NO [NOPERM] permission denied"),
                c.command("s12", "APPEND \"" + BOB + "Projects\" {1+}\r\nx"));
        }
    }

    @Test
    void aclCommandsOnAnOwnMailbox() throws Exception {
        try (TestImapClient c = client()) {
            assertEquals(List.of("* MYRIGHTS INBOX lrswipkxteacd", "a1 OK MYRIGHTS completed"), c.command("a1", "MYRIGHTS inbox"));
            assertEquals(List.of("* ACL INBOX alice@example.test lrswipkxteacd", "a2 OK GETACL completed"),
                c.command("a2", "GETACL INBOX"));
            assertEquals(List.of("a3 OK SETACL completed"), c.command("a3", "SETACL INBOX bob@example.test +lrsd"));
            assertEquals(List.of("* ACL INBOX alice@example.test lrswipkxteacd bob@example.test lrsted", "a4 OK GETACL completed"),
                c.command("a4", "GETACL INBOX"));
            assertEquals(List.of("a5 OK SETACL completed"), c.command("a5", "SETACL INBOX bob@example.test -d"));
            assertEquals(List.of("a6 OK SETACL completed"), c.command("a6", "SETACL INBOX -anyone \"\""));
            assertEquals(List.of("a7 BAD upper-case rights are not allowed"), c.command("a7", "SETACL INBOX bob@example.test lrQ"));
            assertEquals(List.of("a8 BAD the \"q\" right is not supported"), c.command("a8", "SETACL INBOX bob@example.test lrq"));
            assertEquals(List.of("* LISTRIGHTS INBOX bob@example.test \"\" l r s w i p k x t e a c d",
                "a9 OK LISTRIGHTS completed"), c.command("a9", "LISTRIGHTS INBOX bob@example.test"));
            assertEquals(List.of("* LISTRIGHTS INBOX alice@example.test lrswipkxteacd", "a10 OK LISTRIGHTS completed"),
                c.command("a10", "LISTRIGHTS INBOX alice@example.test"));
            assertEquals(List.of("a11 NO [CANNOT] the owner always has every right"),
                c.command("a11", "SETACL INBOX alice@example.test l"));
            assertEquals(List.of("a12 OK DELETEACL completed"), c.command("a12", "DELETEACL INBOX bob@example.test"));
            assertEquals(List.of("* ACL INBOX alice@example.test lrswipkxteacd", "a13 OK GETACL completed"),
                c.command("a13", "GETACL INBOX"));
            assertTrue(store.calls.contains("setacl INBOX bob@example.test ADD lrsd"), store.calls.toString());
        }
    }

    @Test
    void publicFoldersLiveUnderSharedWithTheirRightsAndTheSharedQuotaRoot() throws Exception {
        store.addPublic("Announcements", "lr");
        store.deliver("Shared/Announcements", MSG);
        store.addPublic("Team", "lrswipkxte");
        store.sharedQuotaLimit = 100 * 1024;
        try (TestImapClient c = client()) {
            assertEquals(List.of("* LIST (\\Noselect \\HasChildren) \"/\" \"Shared\"", "p1 OK LIST completed"),
                c.command("p1", "LIST \"\" Shared"));
            assertEquals(List.of("* LIST (\\HasNoChildren) \"/\" \"Shared/Announcements\"",
                "* LIST (\\HasNoChildren) \"/\" \"Shared/Team\"", "p2 OK LIST completed"), c.command("p2", "LIST \"Shared/\" %"));
            List<String> readOnly = c.command("p3", "SELECT Shared/Announcements");
            assertEquals("p3 OK [READ-ONLY] SELECT completed", last(readOnly));
            assertTrue(store.calls.contains("myrights Shared/Announcements"), "rights are asked, not assumed");
            assertEquals(List.of("p4 NO [NOPERM] permission denied"), c.command("p4", "GETACL Shared/Team"), "no a right");
            assertEquals(List.of("* QUOTAROOT \"Shared/Team\" \"Shared\"", "* QUOTA \"Shared\" (STORAGE 1 100)",
                "p5 OK GETQUOTAROOT completed"), c.command("p5", "GETQUOTAROOT Shared/Team"));
            assertEquals(List.of("* QUOTA \"Shared\" (STORAGE 1 100)", "p6 OK GETQUOTA completed"),
                c.command("p6", "GETQUOTA Shared"));
            assertEquals(List.of("* QUOTAROOT INBOX \"\"", "* QUOTA \"\" (STORAGE 1 10240)", "p7 OK GETQUOTAROOT completed"),
                c.command("p7", "GETQUOTAROOT INBOX"));
            assertEquals(List.of("p8 NO [NONEXISTENT] no such quota root"), c.command("p8", "GETQUOTA Elsewhere"));
        }
    }

    @Test
    void idleOnASharedMailboxHearsTheOwnersChanges() throws Exception {
        try (TestImapClient c = client()) {
            c.command("i0", "EXAMINE \"" + BOB + "Projects\"");
            c.send("i1 IDLE\r\n");
            assertEquals("+ idling", c.line());
            store.deliver(BOB + "Projects", MSG);
            assertEquals("* 2 EXISTS", c.line());
            c.send("DONE\r\n");
            assertEquals("i1 OK IDLE terminated", c.line());
        }
    }
}
