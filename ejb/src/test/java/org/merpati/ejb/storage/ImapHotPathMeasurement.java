package org.merpati.ejb.storage;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.SchemaMigration;
import org.merpati.ejb.search.IndexMaintenance;
import org.merpati.ejb.search.MessageIndexBinder;
import org.merpati.ejb.service.ChangeNotifier;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.MailboxManager;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.storage.blob.BlobStore;

/**
 * A micro-measurement of the IMAP hot paths (not a test: run it by name, e.g.
 * {@code ./mvnw -o -pl ejb test -Dtest=H2ImapHotPathMeasurement}). One mailbox of {@value #MESSAGES} 4 KiB
 * messages, then each operation of the ImapLoad mix through {@link MailboxManager} in its own resource-local
 * transaction (what one EJB call does, minus JTA and the container), single-threaded, timed after a warm-up.
 * Prints, per operation, the CPU time of the calling thread (on H2 in memory that includes the database's
 * work; on PostgreSQL only the client side: JPA, JDBC driver, index), the JDBC statements prepared (round
 * trips), and the wall time (meaningless on a loaded machine). It asserts nothing: the contract suites do.
 * {@code -Dmerpati.measure.only=<regex>} picks operations, {@code -Dmerpati.measure.rounds=<n>} the rounds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ImapHotPathMeasurement {

    static final int MESSAGES = Integer.getInteger("merpati.measure.messages", 1000);
    static final int ROUNDS = Integer.getInteger("merpati.measure.rounds", 150);
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
        "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"};

    private Path temp;
    private Path spool;
    private EntityManagerFactory emf;
    private BlobStore blobs;
    private final MerpatiConfig config = MerpatiConfig.of(Map.of("MERPATI_PRIMARY_DOMAIN", "primary.test",
            "MERPATI_HOSTNAME", "mx.test"));
    private final SessionInfo session = new SessionInfo("bench", "IMAP", "127.0.0.1", 40000, null, "127.0.0.1", 143,
            null, null, "bench@bench.example");

    protected abstract DataSource freshDatabase() throws Exception;

    @BeforeAll
    void setUp() throws Exception {
        DataSource dataSource = StatementCounter.wrap(freshDatabase());
        SchemaMigration.migrate(dataSource, getClass().getClassLoader());
        temp = Files.createTempDirectory("merpati-measure");
        blobs = new BlobStore(temp.resolve("blobs"));
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        properties.put("jakarta.persistence.nonJtaDataSource", dataSource);
        properties.put("hibernate.type.json_format_mapper", NoJsonFormatMapper.class.getName());
        properties.put("hibernate.type.xml_format_mapper", NoJsonFormatMapper.class.getName());
        properties.put(IndexMaintenance.ROOT_PROPERTY, temp.resolve("index").toString());
        properties.put(MessageIndexBinder.BLOB_DIR_PROPERTY, blobs.root().toString());
        emf = Persistence.createEntityManagerFactory("merpati", properties);
        EntityManager em = emf.createEntityManager();
        try {
            IndexMaintenance.start(emf, em).toCompletableFuture().get(60, TimeUnit.SECONDS);
        } finally {
            em.close();
        }
        PasswordHasher hasher = new PasswordHasher(1_000);
        tx(e -> new DirectoryManager(e, hasher, config).createDomain("bench.example"));
        tx(e -> new DirectoryManager(e, hasher, config).createAccount("bench@bench.example", "long-enough", null,
                false));
        tx(e -> manager(e).createMailbox(session, "Bench", null));
        tx(e -> manager(e).createMailbox(session, "Other", null));
        spool = Files.createDirectories(temp.resolve("spool"));
        for (int i = 0; i < MESSAGES; i++) {
            append(spool, i);
        }
    }

    private void append(Path spool, int i) throws Exception {
        append(spool, i, "Bench");
    }

    private void append(Path spool, int i, String mailbox) throws Exception {
        StringBuilder body = new StringBuilder();
        int w = 0;
        while (body.length() < 4000) {
            body.append(WORDS[(i * 7 + w++) % WORDS.length]).append(w % 12 == 0 ? "\r\n" : " ");
        }
        String message = "From: Sender " + i + " <s" + i + "@remote.example>\r\nTo: bench@bench.example\r\n"
                + "Subject: report " + WORDS[i % WORDS.length] + " number " + i + "\r\n"
                + "Date: Mon, 1 Dec 2025 10:00:00 +0000\r\nMessage-ID: <m" + i + "@remote.example>\r\n\r\n" + body;
        Path file = Files.createTempFile(spool, "m", ".eml");
        Files.writeString(file, message, StandardCharsets.UTF_8);
        tx(e -> manager(e).append(session, mailbox, file, Files.size(file), i % 3 == 0 ? Set.of("\\Seen") : Set.of(),
                null));
        Files.deleteIfExists(file);
    }

    @AfterAll
    void tearDown() throws Exception {
        if (emf != null) {
            IndexMaintenance.stop(emf);
            emf.close();
        }
        if (temp != null) {
            try (var paths = Files.walk(temp)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void measure() throws Exception {
        long id = tx(e -> manager(e).status(session, "Bench")).id();
        Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("SELECT", r -> tx(e -> manager(e).select(session, "Bench", false)));
        ops.put("STATUS", r -> tx(e -> manager(e).status(session, "Bench")));
        ops.put("FETCH 50 FLAGS", r -> tx(e -> manager(e).fetch(session, id, range(r * 37 % (MESSAGES - 50), 50),
                false)));
        ops.put("FETCH 20 ENVELOPE", r -> tx(e -> manager(e).fetch(session, id, range(r * 41 % (MESSAGES - 20), 20),
                true)));
        ops.put("FETCH 1 (body meta)", r -> tx(e -> manager(e).fetch(session, id, range(r * 13 % MESSAGES, 1),
                false)));
        ops.put("STORE 10", r -> tx(e -> manager(e).store(session, id, range(r * 29 % (MESSAGES - 10), 10),
                r % 2 == 0 ? FlagOperation.ADD : FlagOperation.REMOVE, Set.of("\\Flagged"), -1)));
        ops.put("SEARCH UNSEEN", r -> tx(e -> manager(e).search(session, id, new SearchKey.Flag("\\Seen", false))));
        ops.put("SEARCH SUBJECT", r -> tx(e -> manager(e).search(session, id,
                new SearchKey.Header("Subject", WORDS[r % WORDS.length]))));
        ops.put("SEARCH BODY", r -> tx(e -> manager(e).search(session, id,
                new SearchKey.Text(true, WORDS[r % WORDS.length]))));
        ops.put("SEARCH BODY, appends elsewhere", r -> tx(e -> manager(e).search(session, id,
                new SearchKey.Text(true, WORDS[r % WORDS.length]))));
        // what step 1 changed, isolated: the wait before an index query while others keep the index busy
        ops.put("wait: all queued work, appends elsewhere", r -> {
            org.merpati.ejb.search.IndexingSynchronization.awaitQueued(java.time.Duration.ofSeconds(2));
            return null;
        });
        ops.put("wait: own mailbox's work, appends elsewhere", r ->
                org.merpati.ejb.search.PendingIndexWork.await(id, java.time.Duration.ofMillis(100)));
        ops.put("CHANGES", r -> tx(e -> manager(e).changesSince(session, id, Long.MAX_VALUE - 1)));
        ops.put("STORE+EXPUNGE 1", r -> {
            long[] uids = tx(e -> manager(e).select(session, "Bench", false)).uids();
            long uid = uids[uids.length - 1 - r % 5];
            tx(e -> manager(e).store(session, id, new long[] {uid}, FlagOperation.ADD, Set.of("\\Deleted"), -1));
            long c = THREADS.getCurrentThreadCpuTime();
            long n = StatementCounter.count();
            long t = System.nanoTime();
            tx(e -> manager(e).expunge(session, id, null));
            return new long[] {System.nanoTime() - t, THREADS.getCurrentThreadCpuTime() - c,
                StatementCounter.count() - n};
        });
        StringBuilder report = new StringBuilder("\n== " + getClass().getSimpleName() + ": " + MESSAGES
                + " messages, per operation: client-thread CPU (mean), JDBC statements prepared (mean), wall time;"
                + " " + ROUNDS + " rounds after " + ROUNDS / 3 + " warm-up ==\n");
        java.util.regex.Pattern only = java.util.regex.Pattern.compile(System.getProperty("merpati.measure.only",
                ".*"));
        for (Map.Entry<String, Op> op : ops.entrySet()) {
            if (!only.matcher(op.getKey()).find()) {
                continue;
            }
            int rounds = op.getKey().startsWith("STORE+EXPUNGE") ? Math.min(ROUNDS, 60) : ROUNDS;
            // another client keeps appending to another mailbox of the same account meanwhile
            boolean busy = op.getKey().contains("appends elsewhere");
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread appender = new Thread(() -> {
                for (int i = 0; busy && !stop.get(); i++) {
                    try {
                        append(spool, i, "Other");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            appender.start();
            List<Long> times = new ArrayList<>();
            long cpu = 0;
            long statements = 0;
            for (int r = 0; r < rounds / 3 + rounds; r++) {
                boolean counted = r >= rounds / 3;
                long c = THREADS.getCurrentThreadCpuTime();
                long n = StatementCounter.count();
                long t = System.nanoTime();
                Object result = op.getValue().run(r);
                long elapsed = System.nanoTime() - t;
                if (result instanceof long[] inner && op.getKey().startsWith("STORE+EXPUNGE")) {
                    elapsed = inner[0]; // the expunge alone
                    if (counted) {
                        cpu += inner[1];
                        statements += inner[2];
                    }
                } else if (counted) {
                    cpu += THREADS.getCurrentThreadCpuTime() - c;
                    statements += StatementCounter.count() - n;
                }
                if (counted) {
                    times.add(elapsed);
                }
            }
            stop.set(true);
            appender.join();
            times.sort(null);
            report.append(String.format(Locale.ROOT,
                    "%-44s cpu %7.0f us  statements %5.1f  wall p50 %7.0f us  p99 %8.0f us%n",
                    op.getKey(), cpu / 1000.0 / times.size(), statements / (double) times.size(),
                    times.get(times.size() / 2) / 1000.0, times.get(times.size() * 99 / 100) / 1000.0));
        }
        System.out.println(report);
    }

    private static long[] range(int from, int count) {
        long[] uids = new long[count];
        for (int i = 0; i < count; i++) {
            uids[i] = from + i + 1;
        }
        return uids;
    }

    @FunctionalInterface
    private interface Op {
        Object run(int round) throws Exception;
    }

    private MailboxManager manager(EntityManager em) {
        return new MailboxManager(em, blobs, ChangeNotifier.immediate());
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(EntityManager em) throws Exception;
    }

    private <T> T tx(Work<T> work) throws MailAccessException {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.run(em);
            em.getTransaction().commit();
            return result;
        } catch (MailAccessException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }
}
