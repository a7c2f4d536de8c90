package org.merpati.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.merpati.it.Clients.ok;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mail arrives over SMTP and LMTP from real clients (swaks, curl, Python's smtplib) for users made with the
 * admin tool, and is stored byte for byte.
 */
class SmtpDeliveryIT {

    static MerpatiServer server;

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "it-smtp-").toAbsolutePath();
        server = new MerpatiServer(data, Map.of()).start();
        ok(Clients.admin(server, null, "domain", "add", "merpati.test"));
        ok(Clients.admin(server, "alice-password\n", "user", "add", "alice@merpati.test", "--password-stdin"));
        ok(Clients.admin(server, null, "user", "add", "bob@merpati.test", "--password", "bob-password"));
        ok(Clients.admin(server, null, "user", "add", "tiny@merpati.test", "--password", "tiny-password",
                "--quota", "2000"));
        ok(Clients.admin(server, null, "alias", "add", "sales@merpati.test", "alice@merpati.test"));
        ok(Clients.admin(server, null, "group", "add", "team@merpati.test", "alice@merpati.test", "bob@merpati.test"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    static byte[] message(String subject) {
        return ("From: Sender <sender@example.org>\r\n"
                + "To: alice@merpati.test\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@example.org>\r\n"
                + "\r\n"
                + "Hello Alice,\r\n"
                + ".a line that starts with a dot\r\n"
                + "\r\n"
                + "Bye.\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    long messagesIn(String address, String mailbox) {
        Clients.Result r = ok(Clients.admin(server, null, "mailbox", "list", address));
        for (String line : r.output().split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 4 && cols[0].equals(mailbox)) {
                return Long.parseLong(cols[2]);
            }
        }
        throw new AssertionError("no mailbox " + mailbox + " in\n" + r.output());
    }

    @Test
    void swaksDeliversAByteIdenticalMessage() throws Exception {
        long before = messagesIn("alice@merpati.test", "INBOX");
        byte[] sent = message("swaks " + UUID.randomUUID());
        Path file = Files.createTempFile(server.dataDir(), "msg", ".eml");
        Files.write(file, sent);
        Clients.Result r = Clients.run(Map.of(), null, List.of("swaks", "--server", "127.0.0.1", "--port",
                String.valueOf(server.smtpPort), "--from", "sender@example.org", "--to", "alice@merpati.test",
                "--data", "@" + file, "--helo", "client.example.org"));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("<-  250 2.0.0"), r.output());
        assertEquals(before + 1, messagesIn("alice@merpati.test", "INBOX"));
        // swaks puts a line break of its own before the terminating dot: that CRLF is part of what it sent
        byte[] onTheWire = java.util.Arrays.copyOf(sent, sent.length + 2);
        onTheWire[sent.length] = '\r';
        onTheWire[sent.length + 1] = '\n';
        byte[] stored = StoredMessages.findStored(server.dataDir(), onTheWire);
        assertNotNull(stored, "the stored blob is the sent message with trace headers only");
        String head = new String(stored, 0, stored.length - onTheWire.length, StandardCharsets.US_ASCII);
        assertTrue(head.startsWith("Return-Path: <sender@example.org>\r\n"), head);
        assertTrue(head.contains("Received: from client.example.org"), head);
    }

    @Test
    void curlDeliversToAnAliasAndAGroupInOneTransaction() throws Exception {
        long alice = messagesIn("alice@merpati.test", "INBOX");
        long bob = messagesIn("bob@merpati.test", "INBOX");
        byte[] sent = message("curl " + UUID.randomUUID());
        Path file = Files.createTempFile(server.dataDir(), "msg", ".eml");
        Files.write(file, sent);
        Clients.Result r = Clients.run(Map.of(), null, List.of("curl", "-sS", "--fail",
                "smtp://127.0.0.1:" + server.smtpPort + "/client.example.org", "--mail-from", "sender@example.org",
                "--mail-rcpt", "sales@merpati.test", "--mail-rcpt", "team@merpati.test",
                "--mail-rcpt", "Bob+newsletter@Merpati.TEST", "--upload-file", file.toString()));
        assertEquals(0, r.exit(), r.output());
        // alice gets one copy although she is reached through the alias and the group; bob through the
        // group and his sub-address, also once
        assertEquals(alice + 1, messagesIn("alice@merpati.test", "INBOX"));
        assertEquals(bob + 1, messagesIn("bob@merpati.test", "INBOX"));
        assertNotNull(StoredMessages.findStored(server.dataDir(), sent));
    }

    static final String SMTPLIB_SCRIPT = """
            import smtplib, sys
            port = int(sys.argv[1])
            s = smtplib.SMTP('127.0.0.1', port, local_hostname='client.example.org', timeout=30)
            s.ehlo()
            print('EHLO', ' '.join(sorted(s.esmtp_features.keys())))
            for rcpt in sys.argv[2:]:
                s.rset()
                s.mail('sender@example.org')
                code, msg = s.rcpt(rcpt)
                print('RCPT', rcpt, code, msg.decode())
            s.quit()
            """;

    @Test
    void unknownUsersRelayAndRelayTricksAreRefused() {
        Clients.Result r = Clients.python(SMTPLIB_SCRIPT, String.valueOf(server.smtpPort), "nobody@merpati.test",
                "someone@example.com", "someone%example.com@merpati.test", "\"someone@example.com\"@merpati.test",
                "someone@[127.0.0.1]", "alice@merpati.test");
        assertEquals(0, r.exit(), r.output());
        String out = r.output();
        assertTrue(out.contains("RCPT nobody@merpati.test 550 5.1.1"), out);
        assertTrue(out.contains("RCPT someone@example.com 554 5.7.1"), out);
        assertTrue(out.contains("RCPT someone%example.com@merpati.test 554 5.7.1")
                || out.contains("RCPT someone%example.com@merpati.test 550 5.1.1"), out);
        assertTrue(out.matches("(?s).*RCPT \"someone@example.com\"@merpati.test 5\\d\\d 5\\.\\d\\.\\d.*"), out);
        assertTrue(out.matches("(?s).*RCPT someone@\\[127.0.0.1] 5\\d\\d 5\\.\\d\\.\\d.*"), out);
        assertTrue(out.contains("RCPT alice@merpati.test 250"), out);
        for (String ext : List.of("pipelining", "size", "8bitmime", "smtputf8", "enhancedstatuscodes", "chunking",
                "dsn", "starttls")) {
            assertTrue(out.toLowerCase().contains(ext), "EHLO advertises " + ext + ": " + out);
        }
    }

    static final String STARTTLS_SCRIPT = """
            import smtplib, ssl, sys
            port = int(sys.argv[1])
            msg = open(sys.argv[2], 'rb').read()
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            s = smtplib.SMTP('127.0.0.1', port, local_hostname='client.example.org', timeout=30)
            s.starttls(context=ctx)
            print('TLS', s.sock.version())
            s.ehlo()
            print('AFTER', ' '.join(sorted(s.esmtp_features.keys())))
            refused = s.sendmail('sender@example.org', ['bob@merpati.test'], msg)
            print('REFUSED', refused)
            s.quit()
            """;

    @Test
    void startTlsWithTheGeneratedCertificate() throws Exception {
        long bob = messagesIn("bob@merpati.test", "INBOX");
        byte[] sent = message("tls " + UUID.randomUUID());
        Path file = Files.createTempFile(server.dataDir(), "msg", ".eml");
        Files.write(file, sent);
        Clients.Result r = Clients.python(STARTTLS_SCRIPT, String.valueOf(server.smtpPort), file.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("TLS TLSv1."), r.output());
        assertTrue(!r.output().split("AFTER")[1].split("\n")[0].contains("starttls"), "no STARTTLS after TLS");
        assertTrue(r.output().contains("REFUSED {}"), r.output());
        assertEquals(bob + 1, messagesIn("bob@merpati.test", "INBOX"));
        byte[] stored = StoredMessages.findStored(server.dataDir(), sent);
        assertNotNull(stored);
        assertTrue(new String(stored, StandardCharsets.US_ASCII).contains("with ESMTPS"), "Received says ESMTPS");
    }

    static final String LMTP_SCRIPT = """
            import smtplib, sys
            s = smtplib.LMTP('127.0.0.1', int(sys.argv[1]), local_hostname='mta.example.org')
            msg = open(sys.argv[2], 'rb').read()
            try:
                refused = s.sendmail('sender@example.org', ['alice@merpati.test', 'tiny@merpati.test'], msg)
                print('REFUSED', {k: (v[0], v[1].decode()) for k, v in refused.items()})
            except smtplib.SMTPRecipientsRefused as e:
                print('ALLREFUSED', e.recipients)
            s.quit()
            """;

    @Test
    void lmtpRepliesPerRecipient() throws Exception {
        long alice = messagesIn("alice@merpati.test", "INBOX");
        // larger than tiny's 2000-byte quota, so tiny refuses while alice accepts
        StringBuilder body = new StringBuilder(new String(message("lmtp " + UUID.randomUUID()), StandardCharsets.US_ASCII));
        for (int i = 0; i < 60; i++) {
            body.append("filler line number ").append(i).append(" to pass the quota\r\n");
        }
        byte[] sent = body.toString().getBytes(StandardCharsets.US_ASCII);
        Path file = Files.createTempFile(server.dataDir(), "msg", ".eml");
        Files.write(file, sent);
        Clients.Result r = Clients.python(LMTP_SCRIPT, String.valueOf(server.lmtpPort), file.toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().matches("(?s).*'tiny@merpati.test': \\((452|552), '(4\\.2\\.2|5\\.2\\.2).*"), r.output());
        assertEquals(alice + 1, messagesIn("alice@merpati.test", "INBOX"));
        assertEquals(0, messagesIn("tiny@merpati.test", "INBOX"));
        assertNotNull(StoredMessages.findStored(server.dataDir(), sent));
    }
}
