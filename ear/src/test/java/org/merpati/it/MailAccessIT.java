package org.merpati.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.merpati.it.Clients.ok;
import static org.merpati.it.Clients.password;
import static org.merpati.it.Clients.script;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reading mail with real clients against the provisioned server: Python's imaplib and poplib (scripts in
 * {@code src/test/resources/clients}, which assert what a client sees) and curl's imap:// and pop3://.
 * Each test uses its own account, so the order of tests does not matter.
 */
class MailAccessIT {

    static MerpatiServer server;
    static final String DOMAIN = "access.test";

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "it-access-").toAbsolutePath();
        // cluster mode on: every change is also sent to the MerpatiChanges topic, and this node's listener on
        // the topic must recognise its own events (the two-node case needs a second server: not tested yet)
        server = new MerpatiServer(data, Map.of("MERPATI_CLUSTER", "true", "MERPATI_NODE_ID", "it-node-1")).start();
        ok(Clients.admin(server, null, "domain", "add", DOMAIN));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            String log = server.serverLog();
            server.stop();
            assertTrue(!log.contains("Could not announce the change"), "change events failed to reach the topic:\n" + log);
        }
    }

    static String newUser(String name) {
        String address = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        ok(Clients.admin(server, null, "user", "add", address, "--password", password(address)));
        return address;
    }

    static void assertScriptOk(Clients.Result r) {
        assertEquals(0, r.exit(), r.output() + "\n--- server log:\n" + server.serverLog());
        assertTrue(r.output().strip().endsWith("OK"), r.output());
    }

    @Test
    void imapClientReadsSearchesFlagsMovesAndAppends() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        assertScriptOk(script("imap_flow.py", server.imapPort, server.imapsPort, server.smtpPort,
                alice, password(alice), bob, password(bob)));
    }

    @Test
    void idleClientHearsOfMailDeliveredOverSmtp() {
        String carol = newUser("carol");
        assertScriptOk(script("imap_idle.py", server.imapsPort, server.smtpPort, carol, password(carol)));
    }

    @Test
    void pop3ClientRetrievesAndDeletesOnlyAtQuit() {
        String dave = newUser("dave");
        assertScriptOk(script("pop3_flow.py", server.pop3Port, server.pop3sPort, server.smtpPort,
                dave, password(dave)));
    }

    @Test
    void curlReadsOverImapAndPop3() {
        String erin = newUser("erin");
        String subject = "curl " + UUID.randomUUID();
        ok(Clients.python("import sys; sys.path.insert(0, sys.argv[1]); import common; "
                + "common.deliver(int(sys.argv[2]), sys.argv[3], sys.argv[4])",
                Path.of("src/test/resources/clients").toAbsolutePath().toString(),
                String.valueOf(server.smtpPort), erin, subject));
        String credentials = erin + ":" + password(erin);

        Clients.Result imap = ok(Clients.run(Map.of(), null, List.of("curl", "-sS", "--ssl-reqd", "-k",
                "--user", credentials, "imap://127.0.0.1:" + server.imapPort + "/INBOX;UID=1")));
        assertTrue(imap.output().contains("Subject: " + subject), imap.output());

        Clients.Result search = ok(Clients.run(Map.of(), null, List.of("curl", "-sS", "-k",
                "--user", credentials, "imaps://127.0.0.1:" + server.imapsPort + "/INBOX?SUBJECT%20%22curl%22")));
        assertTrue(search.output().contains("SEARCH 1"), search.output());

        Clients.Result pop = ok(Clients.run(Map.of(), null, List.of("curl", "-sS", "--ssl-reqd", "-k",
                "--user", credentials, "pop3://127.0.0.1:" + server.pop3Port + "/1")));
        assertTrue(pop.output().contains("Subject: " + subject), pop.output());

        Clients.Result refused = Clients.run(Map.of(), null, List.of("curl", "-sS", "-k",
                "--user", erin + ":wrong", "pop3s://127.0.0.1:" + server.pop3sPort + "/"));
        assertTrue(refused.exit() != 0, refused.output());
    }

    @Test
    void mbsyncTwoWaySyncKeepsBothSidesEqualAfterChangesOnEither() throws Exception {
        String frank = newUser("frank");
        Path work = Files.createTempDirectory(server.dataDir(), "mbsync-").toAbsolutePath();
        assertScriptOk(script("mbsync_flow.py", server.imapsPort, server.smtpPort, frank, password(frank), work));
    }
}
