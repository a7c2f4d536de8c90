package org.merpati.ejb.storage;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private PostgreSQL cluster for the contract suite: {@code initdb} into a temp directory, {@code pg_ctl
 * start} on a free loopback port, one fresh database per test class, {@code pg_ctl stop -m immediate} when
 * the test run ends. Binaries come from {@code MERPATI_PG_BIN} or {@code /usr/lib/postgresql/<n>/bin}
 * (newest first). As root (containers, CI) the server is run as the {@code postgres} user through
 * {@code runuser}, since initdb refuses root. {@code MERPATI_TEST_PG_URL} points at an existing server instead.
 *
 * <p>Without either: fails when {@code CI=true} or {@code MERPATI_REQUIRE_POSTGRES=true}, otherwise skips
 * with a loud warning.
 */
public final class PostgresCluster implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

    private static final String USER = "merpati";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresCluster running;

    private final Path dataDir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;
    private final String baseUrl;

    private PostgresCluster(Path dataDir, Path bin, int port, boolean asPostgresUser, String baseUrl) {
        this.dataDir = dataDir;
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
        this.baseUrl = baseUrl;
    }

    /** The JUnit entry point (registered with {@code @ExtendWith}); the cluster itself is created lazily. */
    public PostgresCluster() {
        this(null, null, 0, false, null);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (PostgresCluster.class) {
            if (running == null) {
                running = startOrSkip();
                // closed when the whole run ends, not after the first class
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(PostgresCluster.class, running);
            }
        }
    }

    /** Creates a fresh, empty database and returns its JDBC URL (user {@code merpati}, no password). */
    public static String createDatabase() throws SQLException {
        if (running == null) {
            throw new IllegalStateException("PostgresCluster extension not active");
        }
        String name = "merpati_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(running.baseUrl + "postgres", user(), password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return running.baseUrl + name;
    }

    public static String user() {
        return env("MERPATI_TEST_PG_USER").orElse(USER);
    }

    public static String password() {
        return env("MERPATI_TEST_PG_PASSWORD").orElse("");
    }

    private static PostgresCluster startOrSkip() throws Exception {
        Optional<String> url = env("MERPATI_TEST_PG_URL");
        if (url.isPresent()) {
            // an existing server: databases are created next to the one in the URL
            String u = url.get();
            return new PostgresCluster(null, null, 0, false, u.substring(0, u.lastIndexOf('/') + 1));
        }
        Optional<Path> bin = findBinaries();
        if (bin.isEmpty()) {
            String why = "no PostgreSQL binaries (set MERPATI_PG_BIN or MERPATI_TEST_PG_URL)";
            if (env("CI").filter("true"::equalsIgnoreCase).isPresent()
                    || env("MERPATI_REQUIRE_POSTGRES").filter("true"::equalsIgnoreCase).isPresent()) {
                throw new IllegalStateException("PostgreSQL contract suite required but " + why);
            }
            System.err.println("\n*** WARNING: PostgreSQL contract suite SKIPPED: " + why + " ***\n");
            Assumptions.abort("PostgreSQL contract suite SKIPPED: " + why);
        }
        return start(bin.get());
    }

    private static PostgresCluster start(Path bin) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "merpati-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path data = dir.resolve("data");
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        int port = freePort();
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust",
                "-E", "UTF8", "--no-locale", "--no-sync"), root);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir
                        + " -c fsync=off -c max_connections=50", "start"), root);
        PostgresCluster cluster = new PostgresCluster(data, bin, port, root,
                "jdbc:postgresql://127.0.0.1:" + port + "/");
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stopQuietly));
        return cluster;
    }

    @Override
    public void close() {
        stopQuietly();
    }

    private void stopQuietly() {
        if (dataDir == null || !Files.isDirectory(dataDir)) {
            return;
        }
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "stop"),
                    asPostgresUser);
        } catch (Exception e) {
            System.err.println("Could not stop test PostgreSQL on port " + port + ": " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dataDir.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    private static Optional<Path> findBinaries() throws IOException {
        Optional<String> configured = env("MERPATI_PG_BIN");
        if (configured.isPresent()) {
            Path bin = Path.of(configured.get());
            return Files.isExecutable(bin.resolve("pg_ctl")) ? Optional.of(bin) : Optional.empty();
        }
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(PostgresCluster::majorVersion));
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed: " + new String(output));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Optional<String> env(String key) {
        return Optional.ofNullable(System.getenv(key)).filter(v -> !v.isBlank())
                .map(v -> v.trim()).map(v -> key.equals("CI") ? v.toLowerCase(Locale.ROOT) : v);
    }
}
