package org.merpati.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the provisioned server (the one {@code ./merpati run} starts) in its own data directory, on free
 * ports, and stops or kills it. Each test class gets a server of its own.
 */
public final class MerpatiServer implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "it-admin-secret";

    private final Path home = Path.of(System.getProperty("merpati.server.home", "target/wildfly-39.0.1.Final"));
    private final Path dataDir;
    private final Map<String, String> env = new HashMap<>();
    private final int portOffset;
    public final int smtpPort;
    public final int lmtpPort;
    public final int httpPort;
    public final int imapPort;
    public final int imapsPort;
    public final int pop3Port;
    public final int pop3sPort;
    public final int submissionPort;
    public final int submissionsPort;
    private static final java.util.concurrent.atomic.AtomicInteger OFFSETS =
            new java.util.concurrent.atomic.AtomicInteger((int) (ProcessHandle.current().pid() % 700));
    private Process process;
    private int starts;

    public MerpatiServer(Path dataDir, Map<String, String> extraEnv) {
        this.dataDir = dataDir;
        this.smtpPort = freePort();
        this.lmtpPort = freePort();
        this.httpPort = freePort();
        this.imapPort = freePort();
        this.imapsPort = freePort();
        this.pop3Port = freePort();
        this.pop3sPort = freePort();
        this.submissionPort = freePort();
        this.submissionsPort = freePort();
        // every WildFly socket binding (management, iiop, txn, and HTTP too) moves by this offset, so that
        // servers of consecutive test classes never meet in a port left in TIME_WAIT; HTTP is set so that
        // port + offset is the free port we picked
        this.portOffset = 100 + OFFSETS.getAndAdd(7) % 800;
        env.put("MERPATI_DATA_DIR", dataDir.toString());
        env.put("MERPATI_SMTP_PORT", String.valueOf(smtpPort));
        env.put("MERPATI_SMTP_BIND", "127.0.0.1");
        env.put("MERPATI_LMTP_PORT", String.valueOf(lmtpPort));
        for (String[] listener : new String[][] {{"IMAP", String.valueOf(imapPort)}, {"IMAPS", String.valueOf(imapsPort)},
                {"POP3", String.valueOf(pop3Port)}, {"POP3S", String.valueOf(pop3sPort)},
                {"SUBMISSION", String.valueOf(submissionPort)}, {"SUBMISSIONS", String.valueOf(submissionsPort)}}) {
            env.put("MERPATI_" + listener[0] + "_PORT", listener[1]);
            env.put("MERPATI_" + listener[0] + "_BIND", "127.0.0.1");
        }
        env.put("MERPATI_HTTP_PORT", String.valueOf(httpPort - portOffset));
        env.put("MERPATI_HTTP_BIND", "127.0.0.1");
        env.put("MERPATI_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("MERPATI_HOSTNAME", "mx.merpati.test");
        env.putAll(extraEnv);
    }

    public MerpatiServer start() throws Exception {
        Files.createDirectories(dataDir);
        Path base = prepareBaseDir();
        starts++;
        Path log = dataDir.resolve("server-" + starts + ".out");
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(), "-c", "merpati.xml",
                "-Djboss.server.base.dir=" + base,
                "-Djboss.server.data.dir=" + dataDir.resolve("server"),
                "-Djboss.server.log.dir=" + dataDir.resolve("log"),
                "-Djboss.socket.binding.port-offset=" + portOffset));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("JBOSS_HOME");
        pb.environment().putAll(env);
        process = pb.start();
        try {
            waitUntilReady(log);
        } catch (Exception | AssertionError e) {
            kill9();
            throw e;
        }
        return this;
    }

    /**
     * A server base directory of this test's own (configuration, deployments, tmp): two servers from one
     * home would share deployment markers and redeploy each other's EAR.
     */
    private Path prepareBaseDir() throws IOException {
        Path base = dataDir.resolve("base");
        if (Files.isDirectory(base)) {
            return base;
        }
        Path standalone = home.resolve("standalone");
        Files.createDirectories(base.resolve("deployments"));
        try (var files = Files.walk(standalone.resolve("configuration"))) {
            for (Path p : files.toList()) {
                Path target = base.resolve("configuration").resolve(standalone.resolve("configuration").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Files.copy(standalone.resolve("deployments/merpati.ear"), base.resolve("deployments/merpati.ear"));
        return base;
    }

    private void waitUntilReady(Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited during start; log:\n" + tail(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && portOpen(smtpPort) && portOpen(lmtpPort)
                        && portOpen(imapPort) && portOpen(imapsPort) && portOpen(pop3Port) && portOpen(pop3sPort)
                        && portOpen(submissionPort) && portOpen(submissionsPort)) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("server not ready within 180 s; log:\n" + tail(log));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Map<String, String> env() {
        return env;
    }

    /** The JVM is killed without warning: no shutdown hook, no flush. */
    public void kill9() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle h : process.descendants().toList()) {
            h.onExit().join();
        }
        process = null;
    }

    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        // SIGTERM to the JVM: WildFly shuts down gracefully
        process.descendants().forEach(ProcessHandle::destroy);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill9();
        }
        process = null;
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    public String serverLog() {
        try {
            Path log = dataDir.resolve("server-" + starts + ".out");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
