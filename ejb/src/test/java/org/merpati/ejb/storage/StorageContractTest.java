package org.merpati.ejb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.connector.api.Reply;
import org.merpati.ejb.api.AccountView;
import org.merpati.ejb.api.MailboxView;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.SchemaMigration;
import org.merpati.ejb.service.AppendedMessage;
import org.merpati.ejb.service.DeliveryEnvelope;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.LocalDelivery;
import org.merpati.ejb.service.LocalTarget;
import org.merpati.ejb.service.MailboxAppender;
import org.merpati.ejb.service.MessageIngest;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.service.RandomPasswords;
import org.merpati.ejb.service.RemoteForwarding;
import org.merpati.ejb.service.ResolvedRecipient;
import org.merpati.ejb.service.SmtpReplies;
import org.merpati.ejb.service.StoredMessage;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.BlobEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.MailboxRepository;
import org.merpati.ejb.storage.jpa.MessageEntity;

/**
 * The storage contract: every backend (H2, PostgreSQL) migrates a fresh database with the Flyway scripts and
 * must pass these tests unchanged. Services run outside a container, on resource-local transactions.
 * Each test works in a domain of its own, so tests share one database per backend without interfering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StorageContractTest {

    private static final AtomicInteger DOMAINS = new AtomicInteger();

    private EntityManagerFactory emf;
    private final MerpatiConfig config = MerpatiConfig.of(Map.of("MERPATI_PRIMARY_DOMAIN", "primary.test",
            "MERPATI_HOSTNAME", "mx.test"));
    private final PasswordHasher hasher = new PasswordHasher(1_000); // fast: many accounts are created
    private String domain;
    private BlobStore blobs;

    /** A fresh, empty database of the backend under test. */
    protected abstract DataSource freshDatabase() throws Exception;

    /** Whether the backend takes real row locks across connections (concurrency tests need them). */
    protected boolean supportsConcurrentWriters() {
        return true;
    }

    @BeforeAll
    void migrateAndBootstrap() throws Exception {
        DataSource dataSource = freshDatabase();
        SchemaMigration.migrate(dataSource, getClass().getClassLoader());
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        properties.put("jakarta.persistence.nonJtaDataSource", dataSource);
        properties.put("hibernate.type.json_format_mapper", NoJsonFormatMapper.class.getName());
        properties.put("hibernate.type.xml_format_mapper", NoJsonFormatMapper.class.getName());
        // blob directories change per test here: the index has its own suite (MessageIndexContractTest)
        properties.put("hibernate.search.enabled", "false");
        properties.put("hibernate.session_factory.statement_inspector", SqlLog.class.getName());
        emf = Persistence.createEntityManagerFactory("merpati", properties);
    }

    @AfterAll
    void close() {
        if (emf != null) {
            emf.close();
        }
    }

    @BeforeEach
    void newDomain(@TempDir Path blobRoot) {
        domain = "d" + DOMAINS.incrementAndGet() + ".example";
        blobs = new BlobStore(blobRoot.resolve("blobs"));
        inTx(em -> directory(em).createDomain(domain));
    }

    // ---- schema ----

    @Test
    void mappingMatchesMigratedSchema() throws Exception {
        emf.unwrap(org.hibernate.SessionFactory.class).getSchemaManager().validateMappedObjects();
    }

    // ---- directory ----

    @Test
    void newAccountHasDefaultMailboxesWithSpecialUse() {
        inTx(em -> directory(em).createAccount("Alice@" + domain.toUpperCase(), "secret-password", null, false));
        List<MailboxView> boxes = inTx(em -> directory(em).listMailboxes("alice@" + domain));
        Map<String, String> specialUse = new HashMap<>();
        boxes.forEach(b -> specialUse.put(b.name(), b.specialUse()));
        assertEquals(Map.of("INBOX", "", "Sent", "\\Sent", "Drafts", "\\Drafts", "Trash", "\\Trash",
                "Junk", "\\Junk", "Archive", "\\Archive"), replaceNulls(specialUse));
        assertTrue(boxes.stream().allMatch(b -> b.uidNext() == 1 && b.uidValidity() > 1_600_000_000L));
        AccountView account = inTx(em -> directory(em).getAccount("ALICE@" + domain));
        assertEquals("alice@" + domain, account.address());
        assertEquals(MerpatiConfig.DEFAULT_QUOTA_BYTES, account.quotaBytes());
    }

    @Test
    void accountValidation() {
        assertError(MailError.INVALID, () -> inTx(em -> directory(em).createAccount("bob@" + domain, "short", null,
                false)));
        assertError(MailError.INVALID, () -> inTx(em -> directory(em).createAccount("bob " + domain, "long-enough",
                null, false)));
        assertError(MailError.INVALID, () -> inTx(em -> directory(em).createAccount("bob@\r\n" + domain,
                "long-enough", null, false)));
        assertError(MailError.NOT_FOUND, () -> inTx(em -> directory(em).createAccount("bob@nowhere.invalid",
                "long-enough", null, false)));
        inTx(em -> directory(em).createAccount("bob@" + domain, "long-enough", 5L, false));
        assertError(MailError.EXISTS, () -> inTx(em -> directory(em).createAccount("BOB@" + domain,
                "long-enough", null, false)));
    }

    @Test
    void authenticationChecksPasswordAndEnabledFlag() {
        inTx(em -> directory(em).createAccount("carol@" + domain, "correct horse", null, true));
        assertTrue(inTx(em -> directory(em).authenticate("Carol@" + domain, "correct horse")).get().admin());
        assertTrue(inTx(em -> directory(em).authenticate("carol@" + domain, "wrong horse")).isEmpty());
        assertTrue(inTx(em -> directory(em).authenticate("nobody@" + domain, "correct horse")).isEmpty());
        inTx(em -> {
            directory(em).setEnabled("carol@" + domain, false);
            return null;
        });
        assertTrue(inTx(em -> directory(em).authenticate("carol@" + domain, "correct horse")).isEmpty());
    }

    @Test
    void administratorBootstrapGeneratesPasswordOnce() {
        MerpatiConfig primary = MerpatiConfig.of(Map.of("MERPATI_PRIMARY_DOMAIN", domain + ".primary"));
        Optional<String> first = inTx(em -> new DirectoryManager(em, hasher, primary)
                .ensurePrimaryDomainAndAdministrator(new RandomPasswords()));
        assertEquals(20, first.orElseThrow().length());
        Optional<String> second = inTx(em -> new DirectoryManager(em, hasher, primary)
                .ensurePrimaryDomainAndAdministrator(new RandomPasswords()));
        assertTrue(second.isEmpty(), "the password is generated only when the account is created");
        assertTrue(inTx(em -> new DirectoryManager(em, hasher, primary).authenticate("admin", first.get()))
                .orElseThrow().admin());
    }

    // ---- recipient resolution ----

    @Test
    void subAddressDeliversToTheUser() {
        account("dave");
        assertEquals(List.of("dave@" + domain), localTargets(resolve("Dave+Lists@" + domain)));
    }

    @Test
    void aliasWithSeveralTargetsIncludingRemote() {
        account("erin");
        account("frank");
        inTx(em -> {
            DirectoryManager d = directory(em);
            d.addAlias("team@" + domain, "erin@" + domain);
            d.addAlias("team@" + domain, "frank@" + domain);
            d.addAlias("team@" + domain, "someone@remote.example");
            return null;
        });
        ResolvedRecipient resolved = resolve("TEAM@" + domain);
        assertEquals(List.of("erin@" + domain, "frank@" + domain), localTargets(resolved));
        assertEquals(List.of("someone@remote.example"), resolved.remote());
    }

    /** Remote alias targets are not stored: delivery hands them back, once each, for the outbound queue. */
    @Test
    void remoteAliasTargetsAreHandedBackForForwarding() throws Exception {
        account("erin");
        inTx(em -> {
            DirectoryManager d = directory(em);
            d.addAlias("team@" + domain, "erin@" + domain);
            d.addAlias("team@" + domain, "someone@remote.example");
            d.addAlias("fwd@" + domain, "someone@remote.example");
            return null;
        });
        StoredMessage message = store("Subject: fwd\r\n\r\nhello\r\n");
        List<Recipient> rcpts = List.of(new Recipient("team@" + domain, "FAILURE", null),
                new Recipient("fwd@" + domain, null, "rfc822;orig@x.example"));
        Envelope envelope = new Envelope("sender@remote.example", rcpts, "8BITMIME", false, null, null, -1);
        List<RemoteForwarding.Forward> forwards = inTx(em -> {
            LocalDelivery delivery = delivery(em);
            List<AppendedMessage> appended = delivery.deliver(rcpts, envelope, false, message, Instant.now());
            assertEquals(1, appended.size(), "erin's copy only");
            return delivery.forwards();
        });
        assertEquals(List.of(new RemoteForwarding.Forward(rcpts.get(0), "team@" + domain, "someone@remote.example"),
                new RemoteForwarding.Forward(rcpts.get(1), "fwd@" + domain, "someone@remote.example")), forwards);
        assertEquals(List.of(new Recipient("someone@remote.example", "FAILURE", "rfc822;team@" + domain)),
                RemoteForwarding.recipients(forwards), "one copy per remote address");
    }

    @Test
    void groupsExpandRecursivelyWithLoopProtectionAndDeduplication() {
        account("gina");
        account("hank");
        inTx(em -> {
            DirectoryManager d = directory(em);
            d.createGroup("all@" + domain);
            d.createGroup("devs@" + domain);
            d.addGroupMember("all@" + domain, "devs@" + domain);
            d.addGroupMember("all@" + domain, "gina@" + domain);
            d.addGroupMember("devs@" + domain, "hank@" + domain);
            d.addGroupMember("devs@" + domain, "gina@" + domain);
            d.addGroupMember("devs@" + domain, "all@" + domain); // a loop
            return null;
        });
        assertEquals(List.of("gina@" + domain, "hank@" + domain), localTargets(resolve("all@" + domain)));
    }

    @Test
    void catchAllTakesUnknownLocalParts() {
        account("ivan");
        assertReply(550, "5.1.1", () -> resolve("whoever@" + domain));
        inTx(em -> {
            directory(em).setCatchAll(domain, "ivan@" + domain);
            return null;
        });
        assertEquals(List.of("ivan@" + domain), localTargets(resolve("whoever@" + domain)));
    }

    @Test
    void unknownUserIsRefusedWith550() {
        assertReply(550, "5.1.1", () -> resolve("nobody@" + domain));
    }

    @Test
    void relayAndRelayTricksAreRefusedWith554() {
        account("judy");
        for (String trick : List.of("someone@remote.example", "judy%remote.example@" + domain,
                "remote.example!judy@" + domain, "\"judy@remote.example\"@" + domain, "judy@[192.0.2.1]",
                "@" + domain + ":judy@remote.example", "@relay.example:judy@" + domain)) {
            assertReply(554, "5.7.1", () -> resolve(trick));
        }
    }

    @Test
    void disabledAccountIsRefusedWith550521() {
        account("kate");
        inTx(em -> {
            directory(em).setEnabled("kate@" + domain, false);
            return null;
        });
        assertReply(550, "5.2.1", () -> resolve("kate@" + domain));
    }

    // ---- delivery ----

    @Test
    void uidsAndModseqsIncreaseAndCountersFollow() throws Exception {
        account("liam");
        List<AppendedMessage> appended = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            appended.addAll(deliver(List.of("liam@" + domain), store("Subject: n" + i + "\r\n\r\nbody " + i + "\r\n")));
        }
        assertEquals(List.of(1L, 2L, 3L), appended.stream().map(AppendedMessage::uid).toList());
        assertEquals(List.of(1L, 2L, 3L), appended.stream().map(AppendedMessage::modSeq).toList());
        MailboxView inbox = inbox("liam");
        assertEquals(4, inbox.uidNext());
        assertEquals(3, inbox.messages());
        long size = inbox.sizeBytes();
        assertTrue(size > 0);
        assertEquals(size, inTx(em -> directory(em).getAccount("liam@" + domain)).usedBytes());
    }

    @Test
    void oneBlobSharedByAllRecipientsWithDsnParametersKept() throws Exception {
        account("mia");
        account("noah");
        StoredMessage message = store("From: a@b.example\r\nSubject: =?UTF-8?Q?h=C3=A9llo?=\r\n\r\nhi\r\n");
        Envelope envelope = new Envelope("sender@remote.example",
                List.of(new Recipient("mia@" + domain, "SUCCESS,DELAY", "rfc822;mia@" + domain),
                        new Recipient("noah@" + domain, null, null)), "8BITMIME", false, "HDRS", "env-1", -1);
        inTx(em -> delivery(em).deliver(envelope.recipients(), envelope, false, message, Instant.now()));
        inTx(em -> {
            BlobEntity blob = em.find(BlobEntity.class, message.blob().id());
            assertEquals(2, blob.getRefCount());
            MessageEntity row = em.createQuery("select m from MessageEntity m where m.envelopeRcpt = :r",
                    MessageEntity.class).setParameter("r", "mia@" + domain).getSingleResult();
            assertEquals("SUCCESS,DELAY", row.getDsnNotify());
            assertEquals("rfc822;mia@" + domain, row.getDsnOrcpt());
            assertEquals("HDRS", row.getDsnRet());
            assertEquals("env-1", row.getDsnEnvId());
            assertEquals("sender@remote.example", row.getEnvelopeFrom());
            assertEquals("héllo", row.getSubject());
            assertEquals(message.blob().id(), row.getBlob().getId());
            return null;
        });
    }

    @Test
    void quotaRefusesAtRcptAndAtDelivery() throws Exception {
        inTx(em -> directory(em).createAccount("olga@" + domain, "long-enough", 100L, false));
        StoredMessage big = store("Subject: big\r\n\r\n" + "x".repeat(200) + "\r\n");
        assertReply(452, "4.2.2", () -> inTx(em -> delivery(em).check("olga@" + domain, false, 500)));
        assertEquals(new Reply(552, "5.2.2", "x"), SmtpReplies.of(MailError.NO_QUOTA, "x", 552));
        assertReply(452, "4.2.2", () -> deliver(List.of("olga@" + domain), big));
        assertEquals(0, inbox("olga").messages());
    }

    @Test
    void smtpDeliveryIsAllOrNothing() throws Exception {
        account("paul");
        inTx(em -> directory(em).createAccount("quinn@" + domain, "long-enough", 10L, false));
        StoredMessage message = store("Subject: both\r\n\r\n" + "y".repeat(100) + "\r\n");
        assertReply(452, "4.2.2", () -> deliver(List.of("paul@" + domain, "quinn@" + domain), message));
        assertEquals(0, inbox("paul").messages(), "the whole transaction rolled back");
        assertEquals(1, inbox("paul").uidNext(), "no UID was consumed");
    }

    @Test
    void lmtpStyleDeliveryFailsOnlyTheRecipientThatFails() throws Exception {
        account("tina");
        inTx(em -> directory(em).createAccount("uma@" + domain, "long-enough", 10L, false));
        StoredMessage message = store("Subject: each\r\n\r\n" + "z".repeat(100) + "\r\n");
        // LMTP runs one transaction per recipient (DeliveryTransactions.deliverOne): model that here
        assertEquals(1, deliver(List.of("tina@" + domain), message).size());
        assertReply(452, "4.2.2", () -> deliver(List.of("uma@" + domain), message));
        assertEquals(1, inbox("tina").messages());
        assertEquals(0, inbox("uma").messages());
        assertEquals(1L, (long) inTx(em -> em.find(BlobEntity.class, message.blob().id()).getRefCount()));
    }

    @Test
    void quarantinedCopiesGoToJunkWhichIsRecreatedWhenMissing() throws Exception {
        account("jun");
        account("kai");
        account("lou");
        inTx(em -> {
            MailboxRepository mailboxes = new MailboxRepository(em);
            var kai = new DirectoryRepository(em).findAccount("kai@" + domain).orElseThrow();
            mailboxes.deleteMailbox(mailboxes.findMailbox(kai, "Junk").orElseThrow());
            return null;
        });
        StoredMessage message = store("From: a@spoofed.example\r\nSubject: suspicious\r\n\r\nhi\r\n");
        List<Recipient> rcpts = List.of(new Recipient("jun@" + domain, null, null),
                new Recipient("kai@" + domain, null, null), new Recipient("lou@" + domain, null, null));
        Envelope envelope = new Envelope("a@spoofed.example", rcpts, "7BIT", false, null, null, -1);
        List<AppendedMessage> appended = inTx(em -> delivery(em).toJunk(java.util.Set.of("jun@" + domain,
                "kai@" + domain)).deliver(rcpts, envelope, false, message, Instant.now()));
        assertEquals(List.of("Junk", "Junk", "INBOX"), appended.stream().map(AppendedMessage::mailbox).toList());
        for (String local : List.of("jun", "kai")) {
            assertEquals(0, inbox(local).messages(), local);
            MailboxView junk = inTx(em -> directory(em).listMailboxes(local + "@" + domain)).stream()
                    .filter(m -> m.name().equals("Junk")).findFirst().orElseThrow();
            assertEquals(1, junk.messages(), local);
            assertEquals("\\Junk", junk.specialUse(), local);
        }
        assertEquals(1, inbox("lou").messages());
    }

    @Test
    void recipientsReachingTheSameAccountGetOneCopy() throws Exception {
        account("vera");
        inTx(em -> directory(em).addAlias("sales@" + domain, "vera@" + domain));
        List<AppendedMessage> appended = deliver(List.of("vera@" + domain, "sales@" + domain, "vera+x@" + domain),
                store("Subject: once\r\n\r\nonce\r\n"));
        assertEquals(1, appended.size());
        assertEquals(1, inbox("vera").messages());
    }

    @Test
    void deliveryLocksEachRowWithTheStatementThatChangesIt() throws Exception {
        account("lena");
        deliver(List.of("lena@" + domain), store("Subject: first\r\n\r\nfirst\r\n"));
        StoredMessage message = store("Subject: counted\r\n\r\ncounted\r\n");
        List<String> sql = SqlLog.recording();
        try {
            deliver(List.of("lena@" + domain), message);
        } finally {
            SqlLog.stop();
        }
        List<String> locking = sql.stream().map(s -> s.toLowerCase(Locale.ROOT))
                .filter(s -> s.contains("blobs") || s.contains("accounts a") || s.contains("update accounts")
                        || s.contains("mailboxes") || s.contains("insert into messages"))
                .filter(s -> !s.startsWith("select") || s.contains("final table")).toList();
        // blob reference (PostgreSQL: one upsert; H2: update, then insert), usage, UID/MODSEQ, the row
        assertTrue(locking.size() <= 5, String.join("\n", sql));
        assertTrue(sql.stream().noneMatch(s -> s.toLowerCase(Locale.ROOT).contains("for update")),
                String.join("\n", sql));
        assertEquals(1, sql.stream().filter(s -> s.toLowerCase(Locale.ROOT).contains("mailboxes")).count(),
                String.join("\n", sql));
    }

    @Test
    void deliveryFillsTheQuotaExactlyAndNoFurther() throws Exception {
        StoredMessage message = store("Subject: fit\r\n\r\n" + "f".repeat(50) + "\r\n");
        long size = message.blob().size();
        inTx(em -> directory(em).createAccount("fay@" + domain, "long-enough", 2 * size, false));
        deliver(List.of("fay@" + domain), message);
        deliver(List.of("fay@" + domain), message);
        assertReply(452, "4.2.2", () -> deliver(List.of("fay@" + domain), message));
        assertEquals(2 * size, inTx(em -> directory(em).getAccount("fay@" + domain)).usedBytes());
        assertEquals(2, inbox("fay").messages());
        assertEquals(3, inbox("fay").uidNext(), "the refused delivery took no UID");
        assertEquals(2L, (long) inTx(em -> em.find(BlobEntity.class, message.blob().id()).getRefCount()));
    }

    @Test
    void appendUnderTheLocksRefusesWhatResolutionNoLongerSees() throws Exception {
        account("dora");
        StoredMessage message = store("Subject: late\r\n\r\nlate\r\n");
        long id = inTx(em -> new DirectoryRepository(em).findAccount("dora@" + domain).orElseThrow().getId());
        LocalTarget target = new LocalTarget(id, "dora@" + domain);
        DeliveryEnvelope envelope = new DeliveryEnvelope(
                "s@remote.example", "dora@" + domain, null, null, null, null);
        BiFunction<EntityManager, String, AppendedMessage> append = (em, mailbox) -> {
            MailboxAppender appender = new MailboxAppender(
                    new DirectoryRepository(em), new MailboxRepository(em));
            return appender.deliver(target, mailbox, appender.referenceBlobForDelivery(message, 1, Instant.now()),
                    message, envelope, Instant.now());
        };
        assertError(MailError.NOT_FOUND, () -> inTx(em -> append.apply(em, "No such folder")));
        inTx(em -> {
            directory(em).setEnabled("dora@" + domain, false);
            return null;
        });
        assertError(MailError.NOT_POSSIBLE, () -> inTx(em -> append.apply(em, "INBOX")));
        assertEquals(0, inbox("dora").messages());
        assertEquals(0L, inTx(em -> directory(em).getAccount("dora@" + domain)).usedBytes(),
                "the refused deliveries rolled their usage back");
        boolean blobRowLeft = inTx(em -> em.find(BlobEntity.class, message.blob().id()) != null);
        assertFalse(blobRowLeft, "no blob row was left");
    }

    @Test
    void concurrentDeliveriesNeverReuseUids() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(supportsConcurrentWriters());
        account("rita");
        int threads = 4;
        int perThread = 10;
        List<StoredMessage> messages = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) {
            messages.add(store("Subject: c" + i + "\r\n\r\nbody\r\n"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * perThread;
            futures.add(pool.submit(() -> {
                start.await();
                List<Long> uids = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    uids.add(deliver(List.of("rita@" + domain), messages.get(offset + i)).get(0).uid());
                }
                return uids;
            }));
        }
        start.countDown();
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            List<Long> uids = f.get();
            for (int i = 1; i < uids.size(); i++) {
                assertTrue(uids.get(i) > uids.get(i - 1), "UIDs increase within a thread");
            }
            all.addAll(uids);
        }
        pool.shutdown();
        Collections.sort(all);
        assertEquals(LongStream.rangeClosed(1, threads * perThread).boxed().toList(), all);
        MailboxView inbox = inbox("rita");
        assertEquals(threads * perThread + 1, inbox.uidNext());
        assertEquals(threads * perThread, inbox.highestModSeq());
        List<Long> modseqs = inTx(em -> em.createQuery("select m.modSeq from MessageEntity m where "
                + "m.mailbox.account.address = :a order by m.modSeq", Long.class)
                .setParameter("a", "rita@" + domain).getResultList());
        assertEquals(LongStream.rangeClosed(1, threads * perThread).boxed().toList(), modseqs);
    }

    @Test
    void deletingAnAccountReleasesBlobReferences() throws Exception {
        account("sam");
        StoredMessage message = store("Subject: bye\r\n\r\nbye\r\n");
        deliver(List.of("sam@" + domain), message);
        inTx(em -> {
            directory(em).deleteAccount("sam@" + domain);
            return null;
        });
        assertEquals(0L, (long) inTx(em -> em.find(BlobEntity.class, message.blob().id()).getRefCount()));
        assertTrue(Files.exists(blobs.pathOf(message.blob().id())), "files are left to a collector");
    }

    // ---- helpers ----

    private DirectoryManager directory(EntityManager em) {
        return new DirectoryManager(em, hasher, config);
    }

    private static LocalDelivery delivery(EntityManager em) {
        return new LocalDelivery(new DirectoryRepository(em), new MailboxRepository(em));
    }

    private void account(String local) {
        inTx(em -> directory(em).createAccount(local + "@" + domain, "long-enough", null, false));
    }

    private ResolvedRecipient resolve(String address) {
        return inTx(em -> delivery(em).check(address, false, -1));
    }

    private StoredMessage store(String message) throws Exception {
        return new MessageIngest(blobs).store(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    private List<AppendedMessage> deliver(List<String> recipients, StoredMessage message) {
        List<Recipient> rcpts = recipients.stream().map(r -> new Recipient(r, null, null)).toList();
        Envelope envelope = new Envelope("sender@remote.example", rcpts, "7BIT", false, null, null, -1);
        return inTx(em -> delivery(em).deliver(rcpts, envelope, false, message, Instant.now()));
    }

    private MailboxView inbox(String local) {
        return inTx(em -> directory(em).listMailboxes(local + "@" + domain)).stream()
                .filter(m -> m.name().equals("INBOX")).findFirst().orElseThrow();
    }

    private static List<String> localTargets(ResolvedRecipient resolved) {
        return resolved.local().stream().map(t -> t.address()).sorted().toList();
    }

    private static Map<String, String> replaceNulls(Map<String, String> map) {
        Map<String, String> out = new HashMap<>();
        map.forEach((k, v) -> out.put(k, v == null ? "" : v));
        return out;
    }

    private static void assertError(MailError expected, Runnable action) {
        MailException e = assertThrows(MailException.class, action::run);
        assertEquals(expected, e.error(), e.getMessage());
    }

    private static void assertReply(int code, String enhanced, Runnable action) {
        MailException e = assertThrows(MailException.class, action::run);
        Reply reply = SmtpReplies.of(e, 452);
        assertEquals(code + " " + enhanced, reply.code() + " " + reply.enhanced(), e.getMessage());
    }

    /** Runs the work in a resource-local transaction, rolling back when it throws. */
    protected <T> T inTx(Function<EntityManager, T> work) {
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
