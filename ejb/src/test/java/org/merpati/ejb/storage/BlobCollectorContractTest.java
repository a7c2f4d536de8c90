package org.merpati.ejb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.SchemaMigration;
import org.merpati.ejb.service.AppendedMessage;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.LocalDelivery;
import org.merpati.ejb.service.MailboxAppender;
import org.merpati.ejb.service.MessageIngest;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.service.StoredMessage;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.gc.BlobCollectionSettings;
import org.merpati.ejb.storage.gc.BlobCollector;
import org.merpati.ejb.storage.jpa.BlobEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.MailboxRepository;
import org.merpati.ejb.storage.jpa.MailboxSql;
import org.merpati.ejb.storage.jpa.OutboundMessageEntity;
import org.merpati.ejb.storage.jpa.OutboundRepository;

/**
 * Blob collection on every backend: what is collected and what is kept, and the races between the collector and
 * a delivery of the same content (run with real row locks on two connections). The rule under test: a
 * delivery either references a row whose file exists at its commit, or creates both anew; never a row without a
 * file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BlobCollectorContractTest {

    private static final AtomicInteger DOMAINS = new AtomicInteger();
    private static final Duration GRACE = Duration.ofHours(1);
    /** How long a thread must stay blocked for the test to believe it waits on a row lock. */
    private static final long BLOCKED_MILLIS = 700;

    private EntityManagerFactory emf;
    private final MerpatiConfig config = MerpatiConfig.of(Map.of("MERPATI_PRIMARY_DOMAIN", "primary.test",
            "MERPATI_HOSTNAME", "mx.test"));
    private final PasswordHasher hasher = new PasswordHasher(1_000);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private String domain;
    private BlobStore blobs;

    protected abstract DataSource freshDatabase() throws Exception;

    @BeforeAll
    void migrate() throws Exception {
        DataSource dataSource = freshDatabase();
        SchemaMigration.migrate(dataSource, getClass().getClassLoader());
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        properties.put("jakarta.persistence.nonJtaDataSource", dataSource);
        properties.put("hibernate.type.json_format_mapper", NoJsonFormatMapper.class.getName());
        properties.put("hibernate.type.xml_format_mapper", NoJsonFormatMapper.class.getName());
        properties.put("hibernate.search.enabled", "false");
        emf = Persistence.createEntityManagerFactory("merpati", properties);
    }

    @AfterAll
    void close() {
        threads.shutdownNow();
        if (emf != null) {
            emf.close();
        }
    }

    @BeforeEach
    void freshDomainAndNoLeftovers(@TempDir Path root) {
        domain = "gc" + DOMAINS.incrementAndGet() + ".example";
        blobs = new BlobStore(root.resolve("blobs"));
        inTx(em -> directory(em).createDomain(domain));
        // blobs other tests released: collected now, so that the counts below are this test's alone
        while (collectorAt(Instant.now().plus(Duration.ofDays(365)), 1000).run().examined() > 0) {
            // next batch
        }
    }

    // ---- what is collected, what is kept ----

    @Test
    void anUnreferencedBlobPastTheGracePeriodIsCollected() throws Exception {
        StoredMessage message = deliverTo("ann", "Subject: old\r\n\r\nnobody wants me\r\n");
        deleteAccount("ann");
        BlobEntity released = blobRow(message);
        assertEquals(0, released.getRefCount());
        assertNotNull(released.getReleasedAt(), "the last release starts the grace period");

        BlobCollector.Run run = collectorAt(Instant.now().plus(GRACE).plusSeconds(60), 500).run();

        assertEquals(1, run.collected());
        assertEquals(message.blob().size(), run.bytesFreed());
        assertNull(blobRow(message), "row gone");
        assertFalse(blobs.exists(message.blob().id()), "file gone");
    }

    @Test
    void referencedAndRecentlyReleasedBlobsAreKept() throws Exception {
        StoredMessage kept = deliverTo("bea", "Subject: kept\r\n\r\nstill in a mailbox\r\n");
        StoredMessage young = deliverTo("bo", "Subject: young\r\n\r\njust expunged\r\n");
        deleteAccount("bo");

        BlobCollector.Run early = collectorAt(Instant.now().plus(Duration.ofMinutes(10)), 500).run();
        assertEquals(0, early.examined(), "released ten minutes ago: inside the grace period");
        assertTrue(blobs.exists(young.blob().id()));
        assertNotNull(blobRow(young));

        collectorAt(Instant.now().plus(GRACE).plusSeconds(60), 500).run();
        assertEquals(1, blobRow(kept).getRefCount());
        assertTrue(blobs.exists(kept.blob().id()), "a referenced blob is never collected");
        assertNull(blobRow(young));
    }

    @Test
    void aBlobReleasedThenReferencedAgainBeforeTheRunIsKept() throws Exception {
        String content = "Subject: back\r\n\r\nexpunged, then delivered again\r\n";
        StoredMessage first = deliverTo("cal", content);
        deleteAccount("cal");
        StoredMessage again = deliverTo("cy", content);
        assertEquals(first.blob().id(), again.blob().id());
        assertNull(blobRow(again).getReleasedAt(), "a new reference ends the grace period");

        BlobCollector.Run run = collectorAt(Instant.now().plus(Duration.ofDays(2)), 500).run();
        assertEquals(0, run.examined());
        // and under the lock, for a candidate read just before the new reference
        long result = inTx(em -> BlobCollector.collect(em, blobs, again.blob().id(),
                Instant.now().plus(Duration.ofDays(2))));
        assertEquals(-1, result);
        assertEquals(1, blobRow(again).getRefCount());
        assertTrue(blobs.exists(again.blob().id()));
    }

    @Test
    void expungeReleasesAndTheCollectorRemoves() throws Exception {
        StoredMessage message = deliverTo("dee", "Subject: expunged\r\n\r\nbye\r\n");
        inTx(em -> {
            MailboxSql sql = new MailboxSql(em);
            MailboxSql.OwnedMailbox inbox = sql.ownedByName("dee@" + domain, "INBOX").orElseThrow();
            em.createNativeQuery("UPDATE messages SET flag_deleted = TRUE WHERE mailbox_id = ?1")
                    .setParameter(1, inbox.id()).executeUpdate();
            var locked = sql.lockBlobsThenAccount(sql.deletedBlobIds(inbox.id(), null), inbox.accountId());
            long modSeq = sql.lockMailbox(inbox.id()) + 1;
            assertEquals(1, sql.expunge(inbox.id(), inbox.accountId(), null, locked, modSeq).size());
            return null;
        });
        assertEquals(0, blobRow(message).getRefCount());
        assertNotNull(blobRow(message).getReleasedAt());
        assertEquals(1, collectorAt(Instant.now().plus(GRACE).plusSeconds(60), 500).run().collected());
        assertFalse(blobs.exists(message.blob().id()));
    }

    @Test
    void theOutboundQueueHoldsItsReferenceUntilTheMessageIsDone() throws Exception {
        StoredMessage message = store("Subject: out\r\n\r\nfor a remote recipient\r\n");
        long id = inTx(em -> {
            OutboundMessageEntity row = new OutboundRepository(em).insertMessage(new OutboundMessageEntity(
                    message.blob().id(), "me@" + domain, "7BIT", false, null, null, message.blob().size(),
                    Instant.now(), Instant.now().plus(Duration.ofDays(5))));
            return row.getId();
        });
        Instant later = Instant.now().plus(Duration.ofDays(2));
        assertEquals(0, collectorAt(later, 500).run().examined(), "queued: referenced");
        inTx(em -> new OutboundRepository(em).deleteMessage(id));
        assertEquals(0, blobRow(message).getRefCount());
        assertEquals(1, collectorAt(later, 500).run().collected());
        assertFalse(blobs.exists(message.blob().id()));
    }

    @Test
    void aRunTakesAtMostOneBatch() throws Exception {
        for (int i = 0; i < 3; i++) {
            deliverTo("eve" + i, "Subject: batch " + i + "\r\n\r\nbody\r\n");
            deleteAccount("eve" + i);
        }
        Instant later = Instant.now().plus(GRACE).plusSeconds(60);
        assertEquals(2, collectorAt(later, 2).run().collected());
        assertEquals(1, collectorAt(later, 2).run().collected());
        assertEquals(0, collectorAt(later, 2).run().examined());
    }

    // ---- a delivery of the same content meets the collector ----

    @Test
    void aFileCollectedAfterTheDeliveryFoundItIsPutBackUnderTheRowLock() throws Exception {
        String content = "Subject: dedupe\r\n\r\nthe file was there when the delivery wrote\r\n";
        deliverTo("fay", content);
        deleteAccount("fay");
        account("flo");
        StoredMessage again = store(content); // deduplicated: the file exists, the delivery holds its copy
        assertTrue(blobs.exists(again.blob().id()));

        assertEquals(1, collectorAt(Instant.now().plus(GRACE).plusSeconds(60), 500).run().collected());
        assertFalse(blobs.exists(again.blob().id()), "collected between the delivery's write and its lock");

        deliver("flo", again);
        assertFileHolds(again, content);
        assertEquals(1, blobRow(again).getRefCount());
    }

    @Test
    void appendPutsACollectedFileBackToo() throws Exception {
        String content = "Subject: append\r\n\r\nIMAP APPEND of known content\r\n";
        deliverTo("gil", content);
        deleteAccount("gil");
        account("gus");
        StoredMessage again = store(content);
        collectorAt(Instant.now().plus(GRACE).plusSeconds(60), 500).run();
        assertFalse(blobs.exists(again.blob().id()));

        inTx(em -> {
            DirectoryRepository directory = new DirectoryRepository(em);
            MailboxAppender appender = new MailboxAppender(directory, new MailboxRepository(em));
            long accountId = directory.findAccount("gus@" + domain).orElseThrow().getId();
            Instant now = Instant.now();
            // IMAP APPEND's statements (MailboxManager.append)
            BlobEntity blob = appender.referenceBlobForDelivery(again, 1, now);
            return appender.admit(new org.merpati.ejb.service.LocalTarget(accountId, "gus@" + domain), "INBOX",
                    blob, again, null, org.merpati.ejb.service.ImapFlags.NONE, now, now);
        });
        assertFileHolds(again, content);
        assertEquals(1, blobRow(again).getRefCount());
    }

    @Test
    void aDeliveryWaitsForTheCollectorThatDeletedTheFileAndThenCreatesRowAndFileAnew() throws Exception {
        deliveryMeetsACollectorMidTransaction(false);
    }

    @Test
    void aDeliveryAfterACollectionThatRolledBackPutsTheFileBack() throws Exception {
        deliveryMeetsACollectorMidTransaction(true);
    }

    /**
     * The collector has locked the row and deleted the file, and has not committed; the delivery (whose write
     * found the file and deduplicated) must wait on the row lock, then end with a row and a file whether the
     * collector commits (row gone: inserted anew) or rolls back (row left with no file: file put back).
     */
    private void deliveryMeetsACollectorMidTransaction(boolean collectorRollsBack) throws Exception {
        String content = "Subject: race " + collectorRollsBack + "\r\n\r\ncollector versus delivery\r\n";
        deliverTo("hal", content);
        deleteAccount("hal");
        account("hub");
        StoredMessage again = store(content);
        String id = again.blob().id();
        Instant cutoff = Instant.now().plusSeconds(1); // the grace period is over for this blob

        CountDownLatch fileDeleted = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Future<Long> collector = threads.submit(() -> inTx(em -> {
            long freed = BlobCollector.collect(em, blobs, id, cutoff);
            fileDeleted.countDown();
            await(finish);
            if (collectorRollsBack) {
                throw new IllegalStateException("simulated failure after the file was deleted");
            }
            return freed;
        }));
        assertTrue(fileDeleted.await(30, TimeUnit.SECONDS));
        assertFalse(blobs.exists(id), "the collector deleted the file and holds the row lock");

        Future<List<AppendedMessage>> delivery = threads.submit(() -> deliver("hub", again));
        assertThrows(TimeoutException.class, () -> delivery.get(BLOCKED_MILLIS, TimeUnit.MILLISECONDS),
                "the delivery waits for the collector's row lock");
        finish.countDown();
        if (collectorRollsBack) {
            assertThrows(ExecutionException.class, collector::get);
        } else {
            assertEquals(again.blob().size(), collector.get());
        }
        assertEquals(1, delivery.get(30, TimeUnit.SECONDS).size());

        assertFileHolds(again, content);
        BlobEntity row = blobRow(again);
        assertEquals(1, row.getRefCount());
        assertNull(row.getReleasedAt());
        assertEquals(0, collectorAt(Instant.now().plus(Duration.ofDays(2)), 500).run().examined());
    }

    @Test
    void aCollectorWaitsForTheDeliveryThatLockedFirstAndKeepsTheBlob() throws Exception {
        String content = "Subject: first\r\n\r\nthe delivery locks first\r\n";
        deliverTo("ida", content);
        deleteAccount("ida");
        account("ivy");
        StoredMessage again = store(content);
        String id = again.blob().id();
        Instant cutoff = Instant.now().plusSeconds(1);

        CountDownLatch referenced = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        Future<List<AppendedMessage>> delivery = threads.submit(() -> inTx(em -> {
            List<AppendedMessage> appended = delivery(em).deliver(recipients("ivy"), envelope("ivy"), false, again,
                    Instant.now());
            referenced.countDown();
            await(commit);
            return appended;
        }));
        assertTrue(referenced.await(30, TimeUnit.SECONDS));
        Future<Long> collector = threads.submit(() -> inTx(em -> BlobCollector.collect(em, blobs, id, cutoff)));
        assertThrows(TimeoutException.class, () -> collector.get(BLOCKED_MILLIS, TimeUnit.MILLISECONDS),
                "the collector waits for the delivery's row lock");
        commit.countDown();
        assertEquals(1, delivery.get(30, TimeUnit.SECONDS).size());
        assertEquals(-1, collector.get(30, TimeUnit.SECONDS), "referenced by then: kept");
        assertFileHolds(again, content);
        assertEquals(1, blobRow(again).getRefCount());
    }

    @Test
    void aRunAfterARolledBackDeletionToleratesTheMissingFileAndTheNextDeliveryRestoresIt() throws Exception {
        String content = "Subject: rollback\r\n\r\nrow left, file gone\r\n";
        StoredMessage first = deliverTo("jo", content);
        deleteAccount("jo");
        String id = first.blob().id();
        Instant cutoff = Instant.now().plusSeconds(1);
        assertThrows(IllegalStateException.class, () -> inTx(em -> {
            BlobCollector.collect(em, blobs, id, cutoff);
            throw new IllegalStateException("crash before the commit");
        }));
        assertNotNull(blobRow(first), "rolled back: the row is there");
        assertFalse(blobs.exists(id), "but its file is not");

        BlobCollector.Run run = collectorAt(Instant.now().plus(GRACE).plusSeconds(60), 500).run();
        assertEquals(1, run.collected(), "a missing file is no failure");
        assertEquals(0, run.failed());
        assertNull(blobRow(first));

        StoredMessage again = deliverTo("jim", content);
        assertFileHolds(again, content);
        assertEquals(1, blobRow(again).getRefCount());
    }

    @Test
    void aDeliveryBetweenARolledBackDeletionAndTheNextRunPutsTheFileBack() throws Exception {
        String content = "Subject: rollback then delivery\r\n\r\nrow left, file gone, then delivered\r\n";
        StoredMessage first = deliverTo("kay", content);
        deleteAccount("kay");
        account("kim");
        StoredMessage again = store(content); // deduplicated against the file about to go
        String id = first.blob().id();
        Instant cutoff = Instant.now().plusSeconds(1);
        assertThrows(IllegalStateException.class, () -> inTx(em -> {
            BlobCollector.collect(em, blobs, id, cutoff);
            throw new IllegalStateException("crash before the commit");
        }));
        assertFalse(blobs.exists(id));

        deliver("kim", again);
        assertFileHolds(again, content);
        assertEquals(0, collectorAt(Instant.now().plus(Duration.ofDays(2)), 500).run().examined());
        assertFileHolds(again, content);
    }

    // ---- helpers ----

    private BlobCollector collectorAt(Instant now, int batch) {
        BlobCollector.Transactions tx = new BlobCollector.Transactions() {
            @Override
            public <T> T inNewTransaction(Function<EntityManager, T> work) {
                return inTx(work);
            }
        };
        return new BlobCollector(tx, blobs, new BlobCollectionSettings(true, Duration.ofMinutes(10), GRACE, batch),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private DirectoryManager directory(EntityManager em) {
        return new DirectoryManager(em, hasher, config);
    }

    private static LocalDelivery delivery(EntityManager em) {
        return new LocalDelivery(new DirectoryRepository(em), new MailboxRepository(em));
    }

    private void account(String local) {
        inTx(em -> directory(em).createAccount(local + "@" + domain, "long-enough", null, false));
    }

    private void deleteAccount(String local) {
        inTx(em -> {
            directory(em).deleteAccount(local + "@" + domain);
            return null;
        });
    }

    private StoredMessage store(String message) throws Exception {
        return new MessageIngest(blobs).store(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    private StoredMessage deliverTo(String local, String content) throws Exception {
        account(local);
        StoredMessage message = store(content);
        deliver(local, message);
        message.blob().discardCopy();
        return message;
    }

    private List<Recipient> recipients(String local) {
        return List.of(new Recipient(local + "@" + domain, null, null));
    }

    private Envelope envelope(String local) {
        return new Envelope("sender@remote.example", recipients(local), "7BIT", false, null, null, -1);
    }

    private List<AppendedMessage> deliver(String local, StoredMessage message) {
        return inTx(em -> delivery(em).deliver(recipients(local), envelope(local), false, message, Instant.now()));
    }

    private BlobEntity blobRow(StoredMessage message) {
        return inTx(em -> em.find(BlobEntity.class, message.blob().id()));
    }

    private void assertFileHolds(StoredMessage message, String content) throws Exception {
        Path file = blobs.pathOf(message.blob().id());
        assertTrue(Files.exists(file), "the file of a referenced blob exists");
        assertArrayEquals(content.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the work in a resource-local transaction, rolling back when it throws. */
    private <T> T inTx(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } catch (RuntimeException e) {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            throw e;
        } finally {
            em.close();
        }
    }
}
