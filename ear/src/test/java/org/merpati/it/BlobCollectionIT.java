package org.merpati.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.merpati.it.Clients.ok;
import static org.merpati.it.Clients.password;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The blob collector in the running server: with a 2 s interval and a 1 s grace (the code has no minimum beyond
 * "above 0"), the file of an expunged message's content leaves {@code <data>/blobs}, while content still
 * referenced by another message survives several runs and stays byte-exact. Blob files are named by the SHA-256
 * of the stored bytes ({@code BlobStore}: {@code <root>/ab/cd/<sha256>}), and APPEND stores the bytes as given.
 */
class BlobCollectionIT {

    static MerpatiServer server;
    static final String DOMAIN = "blobs.test";
    static final Pattern RUN = Pattern.compile("Blob collection: \\d+ blob\\(s\\)");

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "it-blobgc-").toAbsolutePath();
        server = new MerpatiServer(data, Map.of("MERPATI_BLOB_GC_INTERVAL", "2s", "MERPATI_BLOB_GC_GRACE", "1s",
                "MERPATI_BLOB_GC_BATCH", "50")).start();
        ok(Clients.admin(server, null, "domain", "add", DOMAIN));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            String log = server.serverLog();
            server.stop();
            assertFalse(log.contains("Blob collection failed") || log.contains("not collected (tried again"),
                    "the collector failed:\n" + log);
        }
    }

    static String newUser(String name) {
        String address = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DOMAIN;
        ok(Clients.admin(server, null, "user", "add", address, "--password", password(address)));
        return address;
    }

    /** blob_flow.py with the system's Python; returns its last output line, which must not be an error. */
    static String step(Object... args) {
        Path dir = Path.of(System.getProperty("merpati.clients.dir", "src/test/resources/clients")).toAbsolutePath();
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        List<String> cmd = new ArrayList<>(List.of(python, dir.resolve("blob_flow.py").toString()));
        for (Object a : args) {
            cmd.add(String.valueOf(a));
        }
        Clients.Result r = Clients.run(Map.of("PYTHONPATH", dir.toString()), null, cmd);
        assertEquals(0, r.exit(), r.output() + "\n--- server log:\n" + server.serverLog());
        List<String> lines = r.output().strip().lines().toList();
        return lines.get(lines.size() - 1);
    }

    static Path blobFile(byte[] content) throws Exception {
        String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        return server.dataDir().resolve("blobs").resolve(id.substring(0, 2)).resolve(id.substring(2, 4)).resolve(id);
    }

    /** Placed blob files (the temp directory aside). */
    static long blobFiles() {
        Path root = server.dataDir().resolve("blobs");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int collectorRuns() {
        Matcher m = RUN.matcher(server.serverLog());
        int runs = 0;
        while (m.find()) {
            runs++;
        }
        return runs;
    }

    /** Polls every 100 ms until the condition holds; fails after {@code limit}. */
    static void await(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what + "\n--- collector lines:\n"
                        + server.serverLog().lines().filter(l -> l.contains("Blob collection")).toList());
            }
            Thread.sleep(100);
        }
    }

    static byte[] uniqueMessage(String user) {
        return ("From: " + user + "\r\nTo: " + user + "\r\nSubject: blob " + UUID.randomUUID()
                + "\r\nMessage-ID: <" + UUID.randomUUID() + "@" + DOMAIN + ">\r\n\r\n"
                + "Content seen nowhere else: " + UUID.randomUUID() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void theFileOfExpungedContentIsCollectedAndTheSameContentAppendedAgainIsKept() throws Exception {
        String user = newUser("gone");
        byte[] content = uniqueMessage(user);
        Path message = Files.write(server.dataDir().resolve("gone.eml"), content);
        Path blob = blobFile(content);

        long before = blobFiles();
        String uid = step("append", server.imapsPort, user, password(user), message);
        assertTrue(Files.isRegularFile(blob), "APPEND placed no file named by the content's SHA-256: " + blob);
        assertEquals(before + 1, blobFiles());

        assertEquals("OK", step("expunge", server.imapsPort, user, password(user), uid));
        await(Duration.ofSeconds(60), () -> !Files.exists(blob), "the expunged message's blob file is removed");
        assertEquals(before, blobFiles());

        // the same content again: its row was deleted with the file, so both are created anew and stay
        String again = step("append", server.imapsPort, user, password(user), message);
        assertTrue(Files.isRegularFile(blob), blob.toString());
        awaitRuns(3);
        assertTrue(Files.isRegularFile(blob), "the blob of a kept message was collected: " + blob);
        assertEquals("OK", step("fetch", server.imapsPort, user, password(user), again, message));
    }

    /** Waits for {@code more} collector runs to end after now. */
    static void awaitRuns(int more) throws InterruptedException {
        int runs = collectorRuns();
        await(Duration.ofSeconds(30L * more), () -> collectorRuns() >= runs + more, more + " more collector runs");
    }

    @Test
    void contentStillReferencedSurvivesSeveralRunsAndStaysByteExact() throws Exception {
        String user = newUser("kept");
        byte[] content = uniqueMessage(user);
        Path message = Files.write(server.dataDir().resolve("kept.eml"), content);
        Path blob = blobFile(content);

        String expunged = step("append", server.imapsPort, user, password(user), message);
        String kept = step("append", server.imapsPort, user, password(user), message);
        assertTrue(Files.isRegularFile(blob), blob.toString());
        assertEquals("OK", step("expunge", server.imapsPort, user, password(user), expunged));

        // one of two references released: the blob is no candidate, however many runs pass
        awaitRuns(3);
        assertTrue(Files.isRegularFile(blob), "the blob of a kept message was collected: " + blob);
        assertEquals("OK", step("fetch", server.imapsPort, user, password(user), kept, message));
    }
}
