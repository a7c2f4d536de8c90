package org.merpati.ejb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.merpati.ejb.api.QueuedMessageView;
import org.merpati.ejb.api.QueuedRecipientView;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.outbound.AttemptPlan;
import org.merpati.ejb.outbound.AttemptPlanner;
import org.merpati.ejb.outbound.OutboundAttempt;
import org.merpati.ejb.outbound.RemoteDelivery;
import org.merpati.ejb.outbound.OutboundSettings;
import org.merpati.ejb.outbound.QueueStore;
import org.merpati.ejb.outbound.RecipientOutcome;
import org.merpati.ejb.outbound.RecipientOutcome.Status;
import org.merpati.ejb.outbound.TriggerSink;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.SchemaMigration;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.BlobEntity;
import org.merpati.ejb.storage.jpa.MailboxRepository;
import org.merpati.ejb.storage.jpa.MessageEntity;
import org.merpati.ejb.storage.jpa.OutboundMessageEntity;
import org.merpati.ejb.storage.jpa.OutboundRecipientEntity;
import org.merpati.ejb.storage.jpa.OutboundRecipientEntity.State;
import org.merpati.ejb.storage.jpa.OutboundRepository.Trigger;

/**
 * The outbound queue's storage on every backend: enqueue (rows, blob reference, one trigger per domain), claims
 * that run one attempt per trigger even when two race, recording outcomes with the next trigger and the DSN
 * (to a local sender's INBOX, or queued again with the null sender for a remote one), the sweeper, and the
 * administrator's retry, delete and bounce. Run on H2 and PostgreSQL by the subclasses; the remote side is the
 * outcome list each test writes, so no network is involved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class OutboundQueueContractTest {

    private static final AtomicInteger DOMAINS = new AtomicInteger();
    private static final String MESSAGE = "From: alice@x\r\nTo: bob@remote.example\r\nSubject: hello\r\n"
            + "Message-ID: <m1@x>\r\n\r\nHello there.\r\n";
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private EntityManagerFactory emf;
    private final MerpatiConfig config = MerpatiConfig.of(Map.of("MERPATI_PRIMARY_DOMAIN", "primary.test",
            "MERPATI_HOSTNAME", "mx.test"));
    private final OutboundSettings settings = OutboundSettings.from(MerpatiConfig.of(Map.of(
            "MERPATI_OUTBOUND_RETRY_SCHEDULE", "5m,10m", "MERPATI_OUTBOUND_MAX_AGE", "1d",
            "MERPATI_OUTBOUND_DELAY_WARNING", "4h")));
    private final AttemptPlanner planner = new AttemptPlanner(settings);
    private final PasswordHasher hasher = new PasswordHasher(1_000);
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final TriggerSink sink = (triggers, delay) -> triggers.forEach(t -> sent.add(new Sent(t, delay)));
    private String domain;
    private String sender;
    private BlobStore blobs;
    private Path spool;

    /** A trigger the store sent, with its delay. */
    record Sent(Trigger trigger, Duration delay) {
    }

    protected abstract DataSource freshDatabase() throws Exception;

    @BeforeAll
    void migrateAndBootstrap() throws Exception {
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
        if (emf != null) {
            emf.close();
        }
    }

    /** Every test: a local domain with the sender alice, a message file to queue, no triggers sent yet. */
    @BeforeEach
    void newDomain(@TempDir Path temp) throws Exception {
        domain = "q" + DOMAINS.incrementAndGet() + ".example";
        sender = "alice@" + domain;
        blobs = new BlobStore(temp.resolve("blobs"));
        // content of its own: blobs are shared by content, and reference counts are checked
        spool = Files.writeString(temp.resolve("message.eml"), "X-Test: " + domain + "\r\n" + MESSAGE,
                StandardCharsets.US_ASCII);
        tx(em -> directory(em).createDomain(domain));
        tx(em -> directory(em).createAccount(sender, "a long password", null, false));
        sent.clear();
    }

    // ---- schema ----

    @Test
    void mappingMatchesMigratedSchema() {
        emf.unwrap(org.hibernate.SessionFactory.class).getSchemaManager().validateMappedObjects();
    }

    // ---- enqueue ----

    @Test
    void enqueueStoresRowsReferencesTheBlobAndTriggersEachDomainOnce() throws Exception {
        long id = enqueue(sender, List.of(rcpt("Bob@Remote.Example"), rcpt("carol@remote.example"),
                rcpt("dave@other.example")));
        assertEquals(List.of(new Sent(new Trigger(id, "remote.example", 0), Duration.ZERO),
                new Sent(new Trigger(id, "other.example", 0), Duration.ZERO)), sent);
        OutboundMessageEntity row = tx(em -> em.find(OutboundMessageEntity.class, id));
        assertEquals(sender, row.getReversePath());
        assertEquals(Files.size(spool), row.getSizeBytes());
        assertEquals(T0.plus(Duration.ofDays(1)), row.getExpiresAt());
        assertEquals(Files.readString(spool), Files.readString(blobs.pathOf(row.getBlobId())));
        assertEquals(1, refCount(row.getBlobId()));
        List<QueuedRecipientView> recipients = view(id).recipients();
        assertEquals(List.of("Bob@Remote.Example", "carol@remote.example", "dave@other.example"),
                recipients.stream().map(QueuedRecipientView::address).toList(), "addresses kept as given");
        assertTrue(recipients.stream().allMatch(r -> r.state().equals("QUEUED") && r.attempts() == 0
                && T0.equals(r.nextAttempt())));
    }

    @Test
    void enqueueRefusesAMalformedRecipientBeforeWritingRows() {
        long before = tx(em -> new org.merpati.ejb.storage.jpa.OutboundRepository(em).countMessages());
        assertThrows(MailException.class, () -> enqueue(sender, List.of(rcpt("ok@remote.example"), rcpt("no-at"))));
        assertEquals(before, (long) tx(em -> new org.merpati.ejb.storage.jpa.OutboundRepository(em).countMessages()));
        assertTrue(sent.isEmpty());
    }

    // ---- claims ----

    @Test
    void aTriggerClaimsOnceAndStaleOrEarlyTriggersClaimNothing() throws Exception {
        long id = enqueue(sender, List.of(rcpt("bob@remote.example")));
        Trigger first = new Trigger(id, "remote.example", 0);
        QueueStore.Claim claim = claim(first, T0).orElseThrow();
        assertEquals(1, claim.recipients().size());
        assertEquals(1, claim.recipients().get(0).generation());
        assertEquals(1, claim.recipients().get(0).attempts());
        assertEquals(sender, claim.message().reversePath());
        assertEquals("SENDING", view(id).recipients().get(0).state());
        assertTrue(claim(first, T0).isEmpty(), "the same trigger again (a duplicate or the sweeper's)");
        assertTrue(claim(new Trigger(id, "other.example", 0), T0).isEmpty(), "no recipient in that domain");
        assertTrue(claim(new Trigger(id + 1000, "remote.example", 0), T0).isEmpty(), "no such message");

        // a temporary failure: rescheduled 5 minutes later at the next generation
        record(claim, T0.plusSeconds(10), outcome("bob@remote.example", Status.TEMPORARY, "4.4.1", "timeout"));
        Sent next = sent.get(sent.size() - 1);
        assertEquals(new Trigger(id, "remote.example", 2), next.trigger());
        assertEquals(Duration.ofMinutes(5), next.delay());
        assertTrue(claim(next.trigger(), T0.plusSeconds(60)).isEmpty(), "not due yet");
        assertTrue(claim(first, T0.plus(Duration.ofMinutes(6))).isEmpty(), "stale generation");
        QueueStore.Claim second = claim(next.trigger(), T0.plus(Duration.ofMinutes(5))).orElseThrow();
        assertEquals(2, second.recipients().get(0).attempts());
    }

    @Test
    void theAttemptCarriesTheEnvelopeAndTheStoredFileToAFakeRemoteDelivery() throws Exception {
        Recipient bob = new Recipient("bob@remote.example", "SUCCESS,FAILURE", "rfc822;bob@remote.example");
        Envelope envelope = new Envelope(sender, List.of(bob), "8BITMIME", true, "FULL", "env+2B1", -1);
        long id = tx(em -> {
            try {
                return store(em).enqueue(envelope, List.of(bob), spool, Files.size(spool), T0);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        QueueStore.Claim claim = claim(new Trigger(id, "remote.example", 0), T0).orElseThrow();
        List<OutboundAttempt> seen = new ArrayList<>();
        RemoteDelivery fake = attempt -> {
            seen.add(attempt);
            return attempt.recipients().stream().map(r -> new RecipientOutcome(r, Status.DELIVERED, "2.0.0",
                    "250 2.0.0 Ok", true, "mx.remote.example [192.0.2.1]")).toList();
        };
        List<RecipientOutcome> outcomes = fake.deliver(QueueStore.attemptOf(claim, blobs));
        OutboundAttempt attempt = seen.get(0);
        assertEquals("remote.example", attempt.domain());
        assertEquals(sender, attempt.reversePath());
        assertEquals(List.of(bob), attempt.recipients());
        assertEquals(Files.readString(spool), Files.readString(attempt.message()));
        assertEquals(Files.size(spool), attempt.size());
        assertEquals("8BITMIME", attempt.bodyType());
        assertTrue(attempt.smtpUtf8());
        assertEquals("FULL", attempt.dsnRet());
        assertEquals("env+2B1", attempt.dsnEnvId());
        AttemptPlan plan = planner.afterAttempt(claim.message(), claim.recipients(), outcomes, T0);
        assertTrue(tx(em -> {
            try {
                return store(em).record(claim.message(), claim.domain(), plan, T0);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).finished());
        String dsn = lastInboxMessage(sender);
        assertTrue(dsn.contains("Action: relayed"));
        assertTrue(dsn.contains("Original-Envelope-Id: env+1"));
        assertTrue(dsn.contains("Content-Type: message/rfc822"), "RET=FULL returns the message");
    }

    @Test
    void racingClaimsOfOneTriggerRunOneAttempt() throws Exception {
        long id = enqueue(sender, List.of(rcpt("bob@remote.example"), rcpt("carol@remote.example")));
        Trigger trigger = new Trigger(id, "remote.example", 0);
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<QueueStore.Claim>>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit((Callable<Optional<QueueStore.Claim>>) () -> {
                start.await();
                return claim(trigger, T0);
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Optional<QueueStore.Claim>> f : results) {
            Optional<QueueStore.Claim> c = f.get();
            if (c.isPresent()) {
                winners++;
                assertEquals(2, c.get().recipients().size());
            }
        }
        pool.shutdown();
        assertEquals(1, winners);
    }

    // ---- outcomes, DSNs, the end of a message ----

    @Test
    void failuresGoToTheLocalSendersInboxAsOneDsnAndTheMessageEndsWhenAllAreFinal() throws Exception {
        long id = enqueue(sender, List.of(rcpt("bob@remote.example"), rcpt("carol@remote.example"),
                rcpt("dave@other.example")));
        String blobId = tx(em -> em.find(OutboundMessageEntity.class, id)).getBlobId();
        QueueStore.Claim remote = claim(new Trigger(id, "remote.example", 0), T0).orElseThrow();
        QueueStore.Recorded recorded = record(remote, T0.plusSeconds(5),
                outcome("bob@remote.example", Status.DELIVERED, "2.0.0", "250 ok"),
                outcome("carol@remote.example", Status.PERMANENT, "5.1.1", "550 5.1.1 no such user"));
        assertEquals(2, recorded.applied());
        assertFalse(recorded.finished(), "dave is still pending");
        assertEquals(1, recorded.dsnDeliveries().size());
        assertEquals(1, inboxCount(sender));
        String dsn = lastInboxMessage(sender);
        assertTrue(dsn.startsWith("Return-Path: <>\r\n"));
        assertTrue(dsn.contains("Subject: Undelivered Mail Returned to Sender"));
        assertTrue(dsn.contains("Final-Recipient: rfc822; carol@remote.example"));
        assertTrue(dsn.contains("Diagnostic-Code: smtp; 550 5.1.1 no such user"));
        assertFalse(dsn.contains("bob@remote.example\r\nAction"), "the delivered one is not reported");
        assertEquals(List.of("DELIVERED", "FAILED", "QUEUED"),
                view(id).recipients().stream().map(QueuedRecipientView::state).toList());

        QueueStore.Claim other = claim(new Trigger(id, "other.example", 0), T0).orElseThrow();
        recorded = record(other, T0.plusSeconds(6), outcome("dave@other.example", Status.DELIVERED, "2.0.0", "250"));
        assertTrue(recorded.finished());
        assertEquals(1, inboxCount(sender), "no DSN for a plain success");
        assertTrue(tx(em -> Optional.ofNullable(em.find(OutboundMessageEntity.class, id))).isEmpty());
        assertEquals(0L, (long) tx(em -> em.createQuery("select count(r) from OutboundRecipientEntity r "
                + "where r.messageId = :m", Long.class).setParameter("m", id).getSingleResult()));
        assertEquals(0, refCount(blobId), "the queue's blob reference is released");
    }

    @Test
    void aRemoteSenderGetsItsDsnQueuedWithTheNullSenderWhichNeverBounces() throws Exception {
        long id = enqueue("fwd@elsewhere.example", List.of(rcpt("bob@remote.example")));
        QueueStore.Claim claim = claim(new Trigger(id, "remote.example", 0), T0).orElseThrow();
        sent.clear();
        record(claim, T0, outcome("bob@remote.example", Status.PERMANENT, "5.7.1", "550 5.7.1 rejected"));
        assertEquals(1, sent.size(), "the DSN's own trigger");
        long dsnId = sent.get(0).trigger().messageId();
        assertEquals("elsewhere.example", sent.get(0).trigger().domain());
        QueuedMessageView dsn = view(dsnId);
        assertEquals("", dsn.sender());
        assertEquals(List.of("fwd@elsewhere.example"), dsn.recipients().stream().map(QueuedRecipientView::address).toList());

        // the DSN itself bounces: nothing more is generated and the queue empties
        QueueStore.Claim dsnClaim = claim(sent.get(0).trigger(), T0).orElseThrow();
        sent.clear();
        QueueStore.Recorded r = record(dsnClaim, T0, outcome("fwd@elsewhere.example", Status.PERMANENT, "5.1.1", "no"));
        assertTrue(r.finished());
        assertTrue(sent.isEmpty());
        assertEquals(0, inboxCount(sender));
    }

    @Test
    void expiryFailsWithADsnAndSuccessNotifyGetsARelayedReport() throws Exception {
        long id = enqueue(sender, List.of(rcpt("bob@remote.example"),
                new Recipient("carol@remote.example", "SUCCESS", "rfc822;carol@remote.example")));
        QueueStore.Claim claim = claim(new Trigger(id, "remote.example", 0), T0).orElseThrow();
        record(claim, T0, outcome("bob@remote.example", Status.TEMPORARY, "4.4.1", "timeout"),
                outcome("carol@remote.example", Status.DELIVERED, "2.0.0", "250 ok"));
        String relayed = lastInboxMessage(sender);
        assertTrue(relayed.contains("Subject: Successful Mail Delivery Report"));
        assertTrue(relayed.contains("Action: relayed"));
        assertTrue(relayed.contains("Original-Recipient: rfc822; carol@remote.example"));

        Instant late = T0.plus(Duration.ofDays(1));
        Trigger next = sent.get(sent.size() - 1).trigger();
        QueueStore.Claim last = claim(next, late).orElseThrow();
        assertTrue(record(last, late, outcome("bob@remote.example", Status.TEMPORARY, "4.4.1", "timeout")).finished());
        assertEquals(2, inboxCount(sender));
        String expired = lastInboxMessage(sender);
        assertTrue(expired.contains("Status: 4.4.7"));
        assertTrue(expired.contains("Action: failed"));
    }

    @Test
    void anOutcomeAfterTheAdministratorDeletedTheMessageIsDropped() throws Exception {
        long id = enqueue(sender, List.of(rcpt("bob@remote.example")));
        QueueStore.Claim claim = claim(new Trigger(id, "remote.example", 0), T0).orElseThrow();
        tx(em -> {
            store(em).delete(id);
            return null;
        });
        QueueStore.Recorded r = record(claim, T0, outcome("bob@remote.example", Status.PERMANENT, "5.1.1", "no"));
        assertEquals(0, r.applied());
        assertEquals(0, inboxCount(sender), "no DSN for a deleted message");
    }

    // ---- the sweeper ----

    @Test
    void theSweeperTriggersLostAndCrashedAttemptsAgain() throws Exception {
        long id = enqueue(sender, List.of(rcpt("bob@remote.example"), rcpt("dave@other.example")));
        sent.clear();
        assertTrue(sweep(T0.plus(Duration.ofMinutes(4))).isEmpty(), "within the grace period");
        // remote.example's trigger is "lost"; other.example's attempt claims and then its node dies
        claim(new Trigger(id, "other.example", 0), T0).orElseThrow();
        List<Trigger> swept = sweep(T0.plus(Duration.ofMinutes(6)));
        assertEquals(List.of(new Trigger(id, "remote.example", 0)), swept, "the SENDING one is within its lease");
        assertTrue(claim(swept.get(0), T0.plus(Duration.ofMinutes(6))).isPresent());

        Instant afterLease = T0.plus(Duration.ofMinutes(6)).plus(settings.lease()).plus(settings.sweepGrace())
                .plusSeconds(1);
        swept = sweep(afterLease);
        assertEquals(java.util.Set.of(new Trigger(id, "other.example", 2), new Trigger(id, "remote.example", 2)),
                java.util.Set.copyOf(swept), "both leases are over: QUEUED again at the next generation");
        assertEquals(List.of("QUEUED", "QUEUED"),
                view(id).recipients().stream().map(QueuedRecipientView::state).toList());
        assertTrue(claim(new Trigger(id, "other.example", 2), afterLease).isPresent());
        assertTrue(claim(new Trigger(id, "other.example", 1), afterLease).isEmpty(), "the dead attempt's generation");
    }

    // ---- administration ----

    @Test
    void retryMakesWaitingRecipientsDueNowWithANewGeneration() throws Exception {
        long id = enqueue(sender, List.of(rcpt("bob@remote.example")));
        QueueStore.Claim claim = claim(new Trigger(id, "remote.example", 0), T0).orElseThrow();
        record(claim, T0, outcome("bob@remote.example", Status.TEMPORARY, "4.4.1", "timeout"));
        Trigger scheduled = sent.get(sent.size() - 1).trigger();
        QueuedRecipientView waiting = view(id).recipients().get(0);
        assertEquals(T0.plus(Duration.ofMinutes(5)), waiting.nextAttempt());
        assertEquals("timeout", waiting.lastError());
        assertEquals("4.4.1", waiting.lastStatus());
        assertEquals(1, waiting.attempts());

        sent.clear();
        Instant now = T0.plusSeconds(30);
        assertEquals(1, (int) tx(em -> store(em).retry(id, now)));
        assertEquals(List.of(new Sent(new Trigger(id, "remote.example", 3), Duration.ZERO)), sent);
        assertTrue(claim(scheduled, T0.plus(Duration.ofMinutes(5))).isEmpty(), "the delayed trigger is stale now");
        assertTrue(claim(sent.get(0).trigger(), now).isPresent());
        assertError(MailError.NOT_FOUND, () -> tx(em -> store(em).retry(id + 1000, now)));
    }

    @Test
    void flushMakesEveryWaitingMessageDueAndLeavesAttemptsInFlightAlone() throws Exception {
        long waiting = enqueue(sender, List.of(rcpt("bob@remote.example")));
        record(claim(new Trigger(waiting, "remote.example", 0), T0).orElseThrow(), T0,
                outcome("bob@remote.example", Status.TEMPORARY, "4.4.1", "timeout"));
        long inFlight = enqueue(sender, List.of(rcpt("dave@other.example")));
        claim(new Trigger(inFlight, "other.example", 0), T0).orElseThrow();
        sent.clear();
        Instant now = T0.plusSeconds(10);
        int flushed = tx(em -> store(em).flush(now, 1000)); // other tests' messages may wait in this database too
        List<Long> triggered = sent.stream().map(x -> x.trigger().messageId()).toList();
        assertEquals(flushed, (int) triggered.stream().distinct().count());
        assertTrue(triggered.contains(waiting), "the waiting message is due: " + triggered);
        assertFalse(triggered.contains(inFlight), "the attempt in flight is left alone: " + triggered);
        assertTrue(sent.stream().allMatch(x -> x.delay().isZero()));
        Sent mine = sent.stream().filter(x -> x.trigger().messageId() == waiting).findFirst().orElseThrow();
        assertTrue(claim(mine.trigger(), now).isPresent(), "due at once");
        sent.clear();
        tx(em -> store(em).flush(now, 1000));
        assertFalse(sent.stream().anyMatch(x -> x.trigger().messageId() == waiting), "claimed: nothing waits");
    }

    @Test
    void bounceFailsPendingRecipientsWithOneDsnAndDeleteSendsNone() throws Exception {
        long bounced = enqueue(sender, List.of(rcpt("bob@remote.example"), rcpt("dave@other.example")));
        claim(new Trigger(bounced, "other.example", 0), T0).orElseThrow(); // one in flight, one waiting
        assertEquals(2, (int) tx(em -> {
            try {
                return store(em).bounce(bounced, planner, T0).applied();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        assertEquals(1, inboxCount(sender));
        String dsn = lastInboxMessage(sender);
        assertTrue(dsn.contains("Status: 5.0.0"));
        assertTrue(dsn.contains("administrator"));
        assertTrue(dsn.contains("Final-Recipient: rfc822; bob@remote.example"));
        assertTrue(dsn.contains("Final-Recipient: rfc822; dave@other.example"));
        assertTrue(tx(em -> Optional.ofNullable(em.find(OutboundMessageEntity.class, bounced))).isEmpty());

        long deleted = enqueue(sender, List.of(rcpt("bob@remote.example")));
        String blobId = tx(em -> em.find(OutboundMessageEntity.class, deleted)).getBlobId();
        tx(em -> {
            store(em).delete(deleted);
            return null;
        });
        assertEquals(1, inboxCount(sender), "no DSN on delete");
        assertEquals(0, refCount(blobId));
        assertError(MailError.NOT_FOUND, () -> tx(em -> {
            store(em).delete(deleted);
            return null;
        }));
    }

    @Test
    void listShowsMessagesOldestFirstWithTheirRecipients() throws Exception {
        long first = enqueue(sender, List.of(rcpt("bob@remote.example")));
        long second = enqueue("", List.of(rcpt("x@remote.example"), rcpt("y@other.example")));
        List<QueuedMessageView> all = tx(em -> store(em).list(0, 1000));
        List<Long> ids = all.stream().map(QueuedMessageView::id).toList();
        assertTrue(ids.indexOf(first) < ids.indexOf(second));
        QueuedMessageView v = view(second);
        assertEquals("", v.sender());
        assertEquals(2, v.recipients().size());
        assertNull(v.recipients().get(0).lastError());
    }

    // ---- helpers ----

    private long enqueue(String from, List<Recipient> recipients) throws Exception {
        Envelope envelope = new Envelope(from, recipients, "7BIT", false, "HDRS", "env-1", -1);
        return tx(em -> {
            try {
                return store(em).enqueue(envelope, recipients, spool, Files.size(spool), T0);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private Optional<QueueStore.Claim> claim(Trigger trigger, Instant now) {
        return tx(em -> store(em).claim(trigger, now));
    }

    private QueueStore.Recorded record(QueueStore.Claim claim, Instant now, RecipientOutcome... outcomes) {
        AttemptPlan plan = planner.afterAttempt(claim.message(), claim.recipients(), List.of(outcomes), now);
        return tx(em -> {
            try {
                return store(em).record(claim.message(), claim.domain(), plan, now);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private List<Trigger> sweep(Instant now) {
        return tx(em -> store(em).sweep(now, 100)).stream()
                .filter(t -> tx(em -> em.find(OutboundMessageEntity.class, t.messageId()) != null
                        && em.find(OutboundMessageEntity.class, t.messageId()).getReversePath().equals(sender)))
                .toList();
    }

    private QueuedMessageView view(long id) {
        return tx(em -> store(em).list(0, 1000)).stream().filter(m -> m.id() == id).findFirst().orElseThrow();
    }

    private static Recipient rcpt(String address) {
        return new Recipient(address, null, null);
    }

    private static RecipientOutcome outcome(String address, Status status, String code, String text) {
        return new RecipientOutcome(new Recipient(address, null, null), status, code, text, true, "mx.test.example");
    }

    private QueueStore store(EntityManager em) {
        return new QueueStore(em, blobs, sink, config, settings);
    }

    private DirectoryManager directory(EntityManager em) {
        return new DirectoryManager(em, hasher, config);
    }

    private long refCount(String blobId) {
        return tx(em -> em.find(BlobEntity.class, blobId)).getRefCount();
    }

    private long inboxCount(String address) {
        return tx(em -> directory(em).listMailboxes(address)).stream().filter(m -> m.name().equals("INBOX"))
                .findFirst().orElseThrow().messages();
    }

    private String lastInboxMessage(String address) throws Exception {
        String blobId = tx(em -> em.createQuery("select m from MessageEntity m where m.mailbox.account.address = :a "
                        + "and m.mailbox.name = 'INBOX' order by m.uid desc", MessageEntity.class)
                .setParameter("a", address).setMaxResults(1).getSingleResult().getBlob().getId());
        try (InputStream in = blobs.open(blobId)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertError(MailError error, Runnable action) {
        MailException e = assertThrows(MailException.class, action::run);
        assertEquals(error, e.error());
    }

    private <T> T tx(Function<EntityManager, T> work) {
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
