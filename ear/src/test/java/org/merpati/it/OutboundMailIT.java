package org.merpati.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.merpati.it.peers.TestDns;
import org.merpati.it.peers.TestPostfix;

/**
 * Submission, the outbound queue and mail authentication against real peers on loopback: an unbound serving
 * the zones {@code merpati.test} (this server), {@code postfix.test} (a real Postfix) and {@code forged.test}
 * (a domain whose mail this host may not send), and that Postfix. Mail submitted with smtplib on 2587/2465
 * reaches Postfix DKIM-signed (verified by dkimpy); Postfix's mail reaches Merpati with the right
 * Authentication-Results; a forged sender is refused by DMARC; with Postfix stopped the message waits in the
 * queue and arrives once it is back; a permanent rejection comes back as a DSN.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboundMailIT {

    static final String DOMAIN = "merpati.test";
    static final String USER = "carol@merpati.test";
    static final String PASSWORD = "carol's long submission password";
    static final HttpClient http = HttpClient.newHttpClient();

    private Path data;
    private TestDns dns;
    private TestPostfix postfix;
    private MerpatiServer server;

    @BeforeAll
    void start() throws Exception {
        boolean required = Boolean.parseBoolean(System.getenv("MERPATI_REQUIRE_PEERS"));
        boolean available = TestDns.available() && TestPostfix.available();
        if (required) {
            assertTrue(available, "MERPATI_REQUIRE_PEERS=true but unbound or Postfix (or root) is missing");
        }
        assumeTrue(available, "unbound and Postfix (as root) are needed; .ci/run installs them");
        data = Files.createTempDirectory(Path.of("target"), "it-outbound-").toAbsolutePath();
        // Postfix's daemons run as the postfix user and must reach their directories below this one
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        dns = new TestDns(data.resolve("dns"))
                .zone(DOMAIN).zone("postfix.test").zone("forged.test")
                .record("merpati.test. 60 IN MX 10 mx.merpati.test.")
                .record("mx.merpati.test. 60 IN A 127.0.0.1")
                .txt("merpati.test", "v=spf1 ip4:127.0.0.1 -all")
                .txt("_dmarc.merpati.test", "v=DMARC1; p=quarantine")
                .record("postfix.test. 60 IN MX 10 mx.postfix.test.")
                .record("mx.postfix.test. 60 IN A 127.0.0.1")
                .txt("postfix.test", "v=spf1 ip4:127.0.0.1 -all")
                .txt("_dmarc.postfix.test", "v=DMARC1; p=reject")
                .record("forged.test. 60 IN A 192.0.2.1")
                .txt("forged.test", "v=spf1 ip4:192.0.2.1 -all")
                .txt("_dmarc.forged.test", "v=DMARC1; p=reject")
                .start();
        server = new MerpatiServer(data.resolve("merpati"), Map.of(
                "MERPATI_DNS_SERVERS", dns.address(),
                "MERPATI_OUTBOUND_RETRY_SCHEDULE", "2s",
                "MERPATI_ALLOW_PLAINTEXT_AUTH", "false"));
        postfix = new TestPostfix(data.resolve("postfix"), "postfix.test", List.of("alice"), DOMAIN, server.smtpPort);
        server.env().put("MERPATI_OUTBOUND_PORT", String.valueOf(postfix.port()));
        postfix.start();
        server.start();
        Clients.ok(Clients.admin(server, null, "domain", "add", DOMAIN));
        Clients.ok(Clients.admin(server, null, "user", "add", USER, "--password", PASSWORD));
        Clients.ok(Clients.admin(server, null, "dkim", "generate", DOMAIN));
        Clients.ok(Clients.admin(server, null, "dkim", "generate", DOMAIN, "--algorithm", "ed25519"));
        // publish what the server says to publish
        HttpResponse<String> records = admin("GET", "/api/admin/domains/" + DOMAIN + "/dns", null, "text/plain");
        assertEquals(200, records.statusCode(), records.body());
        int dkimRecords = 0;
        Matcher m = Pattern.compile("(?m)^(\\S+\\._domainkey\\.\\S+?)\\.?\\s+(?:\\d+\\s+)?(?:IN\\s+)?TXT\\s+(.+)$")
                .matcher(records.body());
        while (m.find()) {
            StringBuilder value = new StringBuilder();
            Matcher quoted = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(m.group(2));
            while (quoted.find()) {
                value.append(quoted.group(1));
            }
            dns.txt(m.group(1), value.toString());
            dkimRecords++;
        }
        assertEquals(2, dkimRecords, "an RSA and an Ed25519 DKIM record to publish:\n" + records.body());
        dns.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (postfix != null) {
            postfix.stop();
        }
        if (dns != null) {
            dns.stop();
        }
    }

    @Test
    @Order(1)
    void submissionOn587ReachesPostfixWithDkimSignaturesThatVerify() throws Exception {
        String subject = "report " + UUID.randomUUID();
        String result = submit("starttls", server.submissionPort, USER, USER, "alice@postfix.test", subject);
        assertTrue(result.startsWith("OK"), result);
        Path delivered = awaitPostfixMessage("alice", subject);
        String message = Files.readString(delivered, StandardCharsets.ISO_8859_1);
        assertTrue(Pattern.compile("(?mi)^Message-ID: <[^>]+@").matcher(message).find(), "Message-ID added:\n" + message);
        assertTrue(Pattern.compile("(?mi)^Date: ").matcher(message).find(), "Date added");
        Clients.Result verify = Clients.run(Map.of(), null, List.of("/usr/bin/python3",
                script("dkim_verify.py").toString(), delivered.toString(), String.valueOf(dns.port())));
        assertEquals(0, verify.exit(), "dkimpy verifies both signatures:\n" + verify.output() + "\n" + message);
        assertTrue(verify.output().contains("a=rsa-sha256 pass") && verify.output().contains("a=ed25519-sha256 pass"),
                verify.output());
    }

    @Test
    @Order(2)
    void implicitTlsOn465AndSenderRules() throws Exception {
        String subject = "implicit " + UUID.randomUUID();
        assertTrue(submit("implicit", server.submissionsPort, USER, USER, "alice@postfix.test", subject)
                .startsWith("OK"));
        awaitPostfixMessage("alice", subject);
        String notMine = submit("implicit", server.submissionsPort, "ceo@merpati.test", "ceo@merpati.test",
                "alice@postfix.test", "spoof " + UUID.randomUUID());
        assertTrue(notMine.startsWith("REFUSED 553") && notMine.contains("5.7.1"), notMine);
        String headerNotMine = submit("starttls", server.submissionPort, USER, "Boss <ceo@merpati.test>",
                "alice@postfix.test", "spoof " + UUID.randomUUID());
        assertTrue(headerNotMine.startsWith("REFUSED 553") && headerNotMine.contains("5.7.1"), headerNotMine);
        Clients.Result noFrom = Clients.script("submit.py", "starttls", server.submissionPort, USER, PASSWORD,
                USER, USER, "alice@postfix.test", "no from " + UUID.randomUUID(), "--no-from");
        assertTrue(noFrom.output().startsWith("REFUSED 5"), "a message without From is refused: " + noFrom.output());
        Clients.Result wrong = Clients.script("submit.py", "starttls", server.submissionPort, USER, "not the password",
                USER, USER, "alice@postfix.test", "x");
        assertTrue(wrong.output().startsWith("REFUSED 535"), wrong.output());
    }

    @Test
    @Order(3)
    void mailFromPostfixArrivesWithAuthenticationResults() throws Exception {
        String subject = "from postfix " + UUID.randomUUID();
        Clients.Result sent = Clients.run(Map.of(), null, List.of("swaks", "--server", "127.0.0.1", "--port",
                String.valueOf(postfix.port()), "--from", "alice@postfix.test", "--to", USER,
                "--h-From", "Alice <alice@postfix.test>", "--h-Subject", subject));
        assertEquals(0, sent.exit(), sent.output());
        byte[] stored = awaitStored(subject);
        String header = new String(stored, 0, Math.min(stored.length, 8192), StandardCharsets.ISO_8859_1);
        Matcher ar = Pattern.compile("(?mi)^Authentication-Results: mx\\.merpati\\.test;(.*(?:\\r\\n[ \\t].*)*)")
                .matcher(header);
        assertTrue(ar.find(), "one Authentication-Results by this server:\n" + header);
        String results = ar.group(1);
        assertTrue(results.contains("spf=pass"), results);
        assertTrue(results.contains("smtp.mailfrom=alice@postfix.test") || results.contains("smtp.mailfrom=postfix.test"),
                results);
        assertTrue(results.contains("dmarc=pass"), results);
    }

    @Test
    @Order(4)
    void forgedSenderIsRefusedByDmarc() {
        Clients.Result forged = Clients.run(Map.of(), null, List.of("swaks", "--server", "127.0.0.1", "--port",
                String.valueOf(server.smtpPort), "--from", "ceo@forged.test", "--to", USER,
                "--h-From", "CEO <ceo@forged.test>", "--h-Subject", "wire the money"));
        assertTrue(forged.output().contains("550 5.7.1"), forged.output());
        // a forged Authentication-Results claiming to be ours is removed
        String subject = "claims " + UUID.randomUUID();
        Clients.Result claims = Clients.run(Map.of(), null, List.of("swaks", "--server", "127.0.0.1", "--port",
                String.valueOf(postfix.port()), "--from", "alice@postfix.test", "--to", USER,
                "--h-From", "alice@postfix.test", "--h-Subject", subject,
                "--add-header", "Authentication-Results: mx.merpati.test; dkim=pass header.d=bank.example"));
        assertEquals(0, claims.exit(), claims.output());
        String stored = new String(awaitStored(subject), StandardCharsets.ISO_8859_1);
        assertFalse(stored.contains("bank.example"), "the forged Authentication-Results was removed:\n" + stored);
    }

    @Test
    @Order(5)
    void postfixDownMeansQueuedThenDeliveredWhenItIsBack() throws Exception {
        postfix.stop();
        String subject = "while down " + UUID.randomUUID();
        assertTrue(submit("starttls", server.submissionPort, USER, USER, "alice@postfix.test", subject)
                .startsWith("OK"));
        String queue = awaitQueue(body -> body.contains("alice@postfix.test") && body.matches("(?s).*\"lastError\"\\s*:\\s*\"[^\"]+.*"));
        assertTrue(queue.contains("alice@postfix.test"), queue);
        postfix.start();
        awaitPostfixMessage("alice", subject);
        awaitQueue(body -> !body.contains("alice@postfix.test"));
    }

    @Test
    @Order(6)
    void permanentRejectionComesBackAsDsn() throws Exception {
        String subject = "to nobody " + UUID.randomUUID();
        assertTrue(submit("starttls", server.submissionPort, USER, USER, "nobody@postfix.test", subject)
                .startsWith("OK"));
        String dsn = new String(awaitStored("nobody@postfix.test", "multipart/report"), StandardCharsets.ISO_8859_1);
        assertTrue(dsn.contains("report-type=delivery-status") || dsn.contains("report-type=\"delivery-status\""), dsn);
        assertTrue(dsn.contains("Action: failed") && dsn.contains("Status: 5.1.1"), dsn);
        assertTrue(dsn.contains(subject), "the original headers come back:\n" + dsn);
    }

    @Test
    @Order(7)
    void forwardedMailLeavesWithAnArcSealThatVerifies() throws Exception {
        Clients.ok(Clients.admin(server, null, "alias", "add", "fwd@merpati.test", "alice@postfix.test"));
        String subject = "forward me " + UUID.randomUUID();
        Clients.Result sent = Clients.run(Map.of(), null, List.of("swaks", "--server", "127.0.0.1", "--port",
                String.valueOf(postfix.port()), "--from", "alice@postfix.test", "--to", "fwd@merpati.test",
                "--h-From", "alice@postfix.test", "--h-Subject", subject));
        assertEquals(0, sent.exit(), sent.output());
        Path delivered = awaitPostfixMessage("alice", subject);
        String message = Files.readString(delivered, StandardCharsets.ISO_8859_1);
        assertTrue(message.contains("ARC-Seal: i=1;"), "sealed by the forwarding hop:\n" + message);
        Clients.Result verify = Clients.run(Map.of(), null, List.of("/usr/bin/python3",
                script("dkim_verify.py").toString(), delivered.toString(), String.valueOf(dns.port()), "--arc"));
        assertEquals(0, verify.exit(), "dkimpy verifies the ARC chain:\n" + verify.output() + "\n" + message);
    }

    @Test
    @Order(8)
    void reportOnlyDomainsGetForgedMailWithTheResultsRecorded() {
        Clients.ok(Clients.admin(server, null, "domain", "dmarc", DOMAIN, "report-only"));
        try {
            String subject = "report only " + UUID.randomUUID();
            Clients.Result forged = Clients.run(Map.of(), null, List.of("swaks", "--server", "127.0.0.1", "--port",
                    String.valueOf(server.smtpPort), "--from", "ceo@forged.test", "--to", USER,
                    "--h-From", "CEO <ceo@forged.test>", "--h-Subject", subject));
            assertEquals(0, forged.exit(), forged.output());
            String stored = new String(awaitStored(subject), StandardCharsets.ISO_8859_1);
            assertTrue(stored.contains("dmarc=fail") && stored.contains("spf=fail"), stored);
        } finally {
            Clients.ok(Clients.admin(server, null, "domain", "dmarc", DOMAIN, "enforce"));
        }
        assertFalse(Clients.admin(server, null, "domain", "dmarc", DOMAIN, "sometimes").exit() == 0,
                "an unknown setting is refused");
    }

    // --- helpers

    private String submit(String mode, int port, String mailFrom, String headerFrom, String rcpt, String subject) {
        Clients.Result r = Clients.script("submit.py", mode, port, USER, PASSWORD, mailFrom, headerFrom, rcpt, subject);
        return r.output().strip();
    }

    private static Path script(String name) {
        return Clients.repoRoot().resolve("ear/src/test/resources/clients").resolve(name).toAbsolutePath();
    }

    private Path awaitPostfixMessage(String user, String subject) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Path p : postfix.messages(user)) {
                if (Files.readString(p, StandardCharsets.ISO_8859_1).contains(subject)) {
                    return p;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not delivered to " + user + "@postfix.test: " + subject + "\nqueue: "
                + admin("GET", "/api/admin/queue", null, "application/json").body() + "\npostfix log:\n" + postfix.log());
    }

    private byte[] awaitStored(String... needles) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Path blob : StoredMessages.blobs(server.dataDir())) {
                try {
                    byte[] bytes = Files.readAllBytes(blob);
                    String text = new String(bytes, StandardCharsets.ISO_8859_1);
                    boolean all = true;
                    for (String needle : needles) {
                        all &= text.contains(needle);
                    }
                    if (all) {
                        return bytes;
                    }
                } catch (java.io.IOException vanished) {
                    // a blob being written or released
                }
            }
            sleep(200);
        }
        throw new AssertionError("no stored message with " + List.of(needles));
    }

    private String awaitQueue(java.util.function.Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = admin("GET", "/api/admin/queue", null, "application/json");
            assertEquals(200, r.statusCode(), r.body());
            body = r.body();
            if (condition.test(body)) {
                return body;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("queue never reached the expected state: " + body);
    }

    private HttpResponse<String> admin(String method, String path, String json, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin@localhost:" + MerpatiServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", Optional.ofNullable(accept).orElse("application/json"))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
