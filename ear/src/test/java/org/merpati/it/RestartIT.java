package org.merpati.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * No acknowledged message is lost: senders keep sending while the server is killed with SIGKILL; after a
 * restart every message that got its 250 is in the mailbox.
 */
class RestartIT {

    static MerpatiServer server;

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void everyAcknowledgedMessageSurvivesKill9() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "it-restart-").toAbsolutePath();
        server = new MerpatiServer(data, Map.of()).start();
        Clients.ok(Clients.admin(server, null, "domain", "add", "restart.test"));
        Clients.ok(Clients.admin(server, null, "user", "add", "carol@restart.test", "--password", "carol-password"));

        ConcurrentLinkedQueue<byte[]> acknowledged = new ConcurrentLinkedQueue<>();
        int senders = 4;
        CountDownLatch someAcked = new CountDownLatch(40);
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        for (int t = 0; t < senders; t++) {
            int sender = t;
            pool.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    byte[] msg = ("Subject: restart " + sender + "-" + i + "\r\n\r\nbody " + sender + "-" + i + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    try {
                        if (send(server.smtpPort, "carol@restart.test", msg)) {
                            acknowledged.add(msg);
                            someAcked.countDown();
                        }
                    } catch (IOException serverGone) {
                        return;
                    }
                }
            });
        }
        assertTrue(someAcked.await(120, TimeUnit.SECONDS), "messages were acknowledged before the kill");
        server.kill9();
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        List<byte[]> acked = List.copyOf(acknowledged);

        server.start();
        long stored = inboxCount();
        assertTrue(stored >= acked.size(), "stored " + stored + " >= acknowledged " + acked.size());
        for (byte[] msg : acked) {
            assertNotNull(StoredMessages.findStored(data, msg), "acknowledged message present: "
                    + new String(msg, StandardCharsets.US_ASCII).lines().findFirst().orElse(""));
        }
        // the server still accepts mail after the crash, and UIDs continue
        assertTrue(send(server.smtpPort, "carol@restart.test", "Subject: after\r\n\r\nafter\r\n".getBytes()));
        assertEquals(stored + 1, inboxCount());
    }

    long inboxCount() {
        Clients.Result r = Clients.ok(Clients.admin(server, null, "mailbox", "list", "carol@restart.test"));
        for (String line : r.output().split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols[0].equals("INBOX")) {
                return Long.parseLong(cols[2]);
            }
        }
        throw new AssertionError(r.output());
    }

    /** A minimal SMTP client: true when the message got its 250 after DATA. */
    static boolean send(int port, String rcpt, byte[] message) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            out.write("EHLO restart.example\r\n".getBytes());
            expect(in, "250");
            out.write(("MAIL FROM:<sender@example.org>\r\nRCPT TO:<" + rcpt + ">\r\nDATA\r\n").getBytes());
            expect(in, "250");
            expect(in, "250");
            expect(in, "354");
            out.write(message);
            out.write(".\r\n".getBytes());
            String reply = expect(in, "");
            out.write("QUIT\r\n".getBytes());
            return reply.startsWith("250");
        }
    }

    private static String expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) {
            throw new IOException("expected " + code + " got " + line);
        }
        return line;
    }
}
