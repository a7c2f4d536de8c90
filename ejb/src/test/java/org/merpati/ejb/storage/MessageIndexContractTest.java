package org.merpati.ejb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.access.AppendResult;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.SchemaMigration;
import org.merpati.ejb.search.IndexMaintenance;
import org.merpati.ejb.search.IndexState;
import org.merpati.ejb.search.MessageIndex;
import org.merpati.ejb.search.MessageIndexBinder;
import org.merpati.ejb.search.SearchTerms;
import org.merpati.ejb.service.ChangeNotifier;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.LocalDelivery;
import org.merpati.ejb.service.MailboxManager;
import org.merpati.ejb.service.MessageIngest;
import org.merpati.ejb.service.MessageSearch;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.MailboxEntity;
import org.merpati.ejb.storage.jpa.MailboxRepository;
import org.merpati.ejb.storage.jpa.MailboxSql;

/**
 * The full-text index behind IMAP SEARCH on every backend: Hibernate Search with its Lucene backend in a
 * temporary directory, indexing as the services commit (asynchronously), queried by
 * {@link MailboxManager#search}. Every answer is also checked against the scanner alone, so the index
 * may only ever make searches cheaper, never different. Run on H2 and on PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MessageIndexContractTest {

    /** Bound for anything asynchronous; tests poll and never sleep for a fixed time. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final AtomicInteger DOMAINS = new AtomicInteger();

    private Path temp;

    private EntityManagerFactory emf;
    private BlobStore blobs;
    private Path spoolDir;
    private String domain;
    private final MerpatiConfig config = MerpatiConfig.of(Map.of("MERPATI_PRIMARY_DOMAIN", "primary.test",
            "MERPATI_HOSTNAME", "mx.test"));
    private final PasswordHasher hasher = new PasswordHasher(1_000);

    protected abstract DataSource freshDatabase() throws Exception;

    @BeforeAll
    void migrateAndStartIndex() throws Exception {
        DataSource dataSource = freshDatabase();
        SchemaMigration.migrate(dataSource, getClass().getClassLoader());
        temp = Files.createTempDirectory("merpati-index-test");
        blobs = new BlobStore(temp.resolve("blobs"));
        spoolDir = Files.createDirectories(temp.resolve("spool"));
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        properties.put("jakarta.persistence.nonJtaDataSource", dataSource);
        properties.put("hibernate.type.json_format_mapper", NoJsonFormatMapper.class.getName());
        properties.put("hibernate.type.xml_format_mapper", NoJsonFormatMapper.class.getName());
        properties.put(IndexMaintenance.ROOT_PROPERTY, temp.resolve("index").toString());
        properties.put(MessageIndexBinder.BLOB_DIR_PROPERTY, blobs.root().toString());
        emf = Persistence.createEntityManagerFactory("merpati", properties);
        startIndex();
    }

    @AfterAll
    void close() throws Exception {
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

    @BeforeEach
    void newDomain() throws Exception {
        domain = "i" + DOMAINS.incrementAndGet() + ".example";
        tx(em -> directory(em).createDomain(domain));
    }

    // ---- indexing at delivery, APPEND, COPY ----

    @Test
    void deliveredAppendedAndCopiedMessagesBecomeSearchable() throws Exception {
        account("ada");
        SessionInfo s = session("ada");
        deliver("ada", "Subject: quarterly\r\nFrom: Zed <zed@remote.example>\r\n\r\nThe invoice is attached.\r\n");
        append(s, "INBOX", "Subject: other\r\n\r\nnothing to see\r\n");
        append(s, "Archive", "Subject: old\r\n\r\nAn archived invoice.\r\n");
        long inbox = mailboxId(s, "INBOX");
        long archive = mailboxId(s, "Archive");

        assertSearch(s, inbox, new SearchKey.Text(true, "invoice"), 1);
        assertSearch(s, archive, new SearchKey.Text(true, "invoice"), 1);
        assertSearch(s, inbox, new SearchKey.Text(true, "INVOICE"), 1);
        assertSearch(s, inbox, new SearchKey.Text(true, "voic"), 1); // inside a word: IMAP is substring
        assertSearch(s, inbox, new SearchKey.Text(true, "quarterly")); // a header, not the body
        assertSearch(s, inbox, new SearchKey.Text(false, "quarterly"), 1);
        assertSearch(s, inbox, new SearchKey.Header("Subject", "QUARTER"), 1);
        assertSearch(s, inbox, new SearchKey.Header("From", "zed@remote"), 1);
        assertSearch(s, inbox, new SearchKey.Text(true, "unicorn"));

        tx(em -> access(em).copy(s, archive, new long[] {1}, "INBOX", false));
        assertSearch(s, inbox, new SearchKey.Text(true, "archived"), 3);
        assertSearch(s, inbox, new SearchKey.Text(true, "invoice"), 1, 3);
    }

    @Test
    void aSearchRightAfterAppendFindsTheMessageWithoutRetrying() throws Exception {
        account("amy");
        SessionInfo s = session("amy");
        long inbox = mailboxId(s, "INBOX");
        for (int round = 1; round <= 10; round++) {
            int i = round;
            long uid = append(s, "INBOX", "Subject: round " + i + "\r\n\r\nfreshword" + i + " here\r\n").uid();
            // no retry: either the index has it by now, or it is pending and the scanner confirms it
            assertArrayEquals(new long[] {uid}, tx(em -> access(em).search(s, inbox,
                    new SearchKey.Text(true, "freshword" + i))), "round " + i);
            assertArrayEquals(new long[] {uid}, tx(em -> access(em).search(s, inbox,
                    new SearchKey.Header("Subject", "round " + i))), "round " + i);
        }
    }

    @Test
    void messagesWhoseIndexWorkIsPendingAreConfirmedByTheScannerWithoutWaitingForIt() throws Exception {
        account("pat");
        SessionInfo s = session("pat");
        append(s, "INBOX", "Subject: indexed\r\n\r\npendingword, already indexed\r\n");      // 1
        long inbox = mailboxId(s, "INBOX");
        long archive = mailboxId(s, "Archive");
        append(s, "Archive", "Subject: elsewhere\r\n\r\npendingword in another mailbox\r\n"); // 1 there
        SearchKey key = new SearchKey.Text(true, "pendingword");
        assertSearch(s, inbox, key, 1);
        assertSearch(s, archive, key, 1);
        eventually(() -> org.merpati.ejb.search.PendingIndexWork.pending(archive).none(),
                "Archive's message becomes visible to index readers");
        // a committed message the index does not have (its plan filtered out), as if its work were queued
        long unindexed = tx(em -> {
            org.hibernate.search.mapper.orm.Search.session(em).indexingPlanFilter(
                    f -> f.exclude(org.merpati.ejb.storage.jpa.MessageEntity.class));
            Path file = Files.createTempFile(spoolDir, "append-", ".eml");
            Files.writeString(file, "Subject: late\r\n\r\npendingword, not yet indexed\r\n");
            try {
                return access(em).append(s, "INBOX", file, Files.size(file), Set.of(), null).uid();
            } finally {
                Files.deleteIfExists(file);
            }
        });
        assertArrayEquals(new long[] {1}, tx(em -> access(em).search(s, inbox, key)), "the index alone misses it");

        java.util.concurrent.CompletableFuture<Void> work = new java.util.concurrent.CompletableFuture<>();
        org.merpati.ejb.search.PendingIndexWork.register(inbox, new long[] {unindexed}, work);
        try {
            long started = System.nanoTime();
            assertArrayEquals(new long[] {1, unindexed}, tx(em -> access(em).search(s, inbox, key)),
                    "pending messages are confirmed by the scanner");
            assertArrayEquals(new long[] {1}, tx(em -> access(em).search(s, inbox,
                    new SearchKey.Text(true, "already"))), "and only matching ones are returned");
            assertTrue(System.nanoTime() - started < Duration.ofMillis(1500).toNanos(),
                    "the wait for a mailbox's own work is bounded (it was 2 s for anyone's)");
            // another mailbox neither waits for this work nor sees it: answered by the index alone
            assertTrue(org.merpati.ejb.search.PendingIndexWork.pending(archive).none());
            SearchKey narrowed = tx(em -> new MessageIndex(em).narrow(archive, key));
            assertArrayEquals(new long[][] {{1, 1}}, ((SearchKey.Uids) narrowed).ranges());
            assertEquals(1, org.merpati.ejb.search.PendingIndexWork.pending(inbox).uids().length);
        } finally {
            work.complete(null);
        }
        long applied = System.nanoTime();
        boolean stillPending = !org.merpati.ejb.search.PendingIndexWork.pending(inbox).none();
        if (System.nanoTime() - applied < Duration.ofMillis(org.merpati.ejb.search.PendingIndexWork.REFRESH_INTERVAL_MS)
                .toNanos()) {
            assertTrue(stillPending, "applied work stays pending until every index reader has it");
        }
        eventually(() -> org.merpati.ejb.search.PendingIndexWork.pending(inbox).none(), "then it is forgotten");
    }

    @Test
    void encodedBodiesTextAttachmentsAndHeadersAreSearchedDecoded() throws Exception {
        account("bea");
        SessionInfo s = session("bea");
        append(s, "INBOX", "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nCr=E8me br=FBl=E9e for dessert\r\n");      // 1
        append(s, "INBOX", "Subject: b64\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString("Pineapple Äpfel and more"
                        .getBytes(StandardCharsets.UTF_8)) + "\r\n");                                           // 2
        append(s, "INBOX", "Subject: with attachment\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nSee the notes.\r\n"
                + "--b1\r\nContent-Type: text/csv; name=\"notes.csv\"\r\nContent-Disposition: attachment\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString("id,word\n1,marmalade\n"
                        .getBytes(StandardCharsets.UTF_8)) + "\r\n"
                + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString("binaryword".getBytes(StandardCharsets.UTF_8))
                + "\r\n--b1--\r\n");                                                                          // 3
        long inbox = mailboxId(s, "INBOX");

        assertSearch(s, inbox, new SearchKey.Text(true, "crème"), 1);
        assertSearch(s, inbox, new SearchKey.Text(true, "BRÛLÉE"), 1);
        assertSearch(s, inbox, new SearchKey.Header("subject", "grüße"), 1);
        assertSearch(s, inbox, new SearchKey.Text(false, "GRÜSSE")); // no folding beyond case: as the scanner
        assertSearch(s, inbox, new SearchKey.Text(true, "pineapple"), 2);
        assertSearch(s, inbox, new SearchKey.Text(true, "äpfel"), 2);
        assertSearch(s, inbox, new SearchKey.Text(true, "marmalade"), 3);
        assertSearch(s, inbox, new SearchKey.Text(true, "binaryword")); // binary parts are not text
        assertSearch(s, inbox, new SearchKey.Text(true, "CR=E8ME")); // the raw encoding is not the text
    }

    @Test
    void phrasesPunctuationAndShortNeedlesAreConfirmedByTheScanner() throws Exception {
        account("cid");
        SessionInfo s = session("cid");
        append(s, "INBOX", "Subject: a\r\n\r\nhello world, write to john.doe@example.com\r\n");   // 1
        append(s, "INBOX", "Subject: b\r\n\r\nworld hello; john doe at example\r\n");             // 2
        long inbox = mailboxId(s, "INBOX");

        assertSearch(s, inbox, new SearchKey.Text(true, "hello world"), 1);
        assertSearch(s, inbox, new SearchKey.Text(true, "world hello"), 2);
        assertSearch(s, inbox, new SearchKey.Text(true, "john.doe@"), 1);
        assertSearch(s, inbox, new SearchKey.Text(true, "lo wo"), 1);
        assertSearch(s, inbox, new SearchKey.Text(true, "@"), 1);
        assertSearch(s, inbox, new SearchKey.Text(true, "oe"), 1, 2);
        assertSearch(s, inbox, new SearchKey.Text(true, ""), 1, 2);
    }

    @Test
    void expungedMessagesAreNoLongerReturned() throws Exception {
        account("dan");
        SessionInfo s = session("dan");
        append(s, "INBOX", "Subject: 1\r\n\r\nephemeral content\r\n");
        append(s, "INBOX", "Subject: 2\r\n\r\nephemeral too\r\n");
        long inbox = mailboxId(s, "INBOX");
        assertSearch(s, inbox, new SearchKey.Text(true, "ephemeral"), 1, 2);
        tx(em -> access(em).store(s, inbox, new long[] {1}, FlagOperation.ADD, Set.of("\\Deleted"), -1));
        assertSearch(s, inbox, new SearchKey.Text(true, "ephemeral"), 1, 2); // a flag change keeps it
        tx(em -> access(em).expunge(s, inbox, null));
        assertSearch(s, inbox, new SearchKey.Text(true, "ephemeral"), 2);
        eventually(() -> indexedUids(inbox, "ephemeral").equals(List.of(2L)), "the index drops expunged rows");
    }

    @Test
    void searchesStayInTheirMailboxAndAccount() throws Exception {
        account("eve");
        account("fay");
        SessionInfo eve = session("eve");
        SessionInfo fay = session("fay");
        append(eve, "INBOX", "Subject: 1\r\n\r\nplain\r\n");
        append(eve, "INBOX", "Subject: 2\r\n\r\nplain\r\n");
        append(eve, "INBOX", "Subject: 3\r\n\r\nsecretword\r\n");
        append(eve, "Archive", "Subject: 4\r\n\r\nsecretword\r\n");
        append(fay, "INBOX", "Subject: 5\r\n\r\nsecretword\r\n");
        long eveInbox = mailboxId(eve, "INBOX");

        assertSearch(eve, eveInbox, new SearchKey.Text(true, "secretword"), 3);
        eventually(() -> org.merpati.ejb.search.PendingIndexWork.pending(eveInbox).none(),
                "the appended messages become visible to index readers");
        // the exact answer comes from the index alone: its mailbox filter is what keeps other UIDs out
        SearchKey narrowed = tx(em -> new MessageIndex(em).narrow(eveInbox, new SearchKey.Text(true, "secretword")));
        assertEquals("Uids", narrowed.getClass().getSimpleName(), "answered by the index: " + narrowed);
        assertArrayEquals(new long[][] {{3, 3}}, ((SearchKey.Uids) narrowed).ranges());
        assertSearch(fay, mailboxId(fay, "INBOX"), new SearchKey.Text(true, "secretword"), 1);
    }

    @Test
    void messagesMovedByRenamingInboxAreFoundInTheirNewMailbox() throws Exception {
        account("joe");
        SessionInfo s = session("joe");
        append(s, "INBOX", "Subject: 1\r\n\r\nmovable words\r\n");
        tx(em -> {
            access(em).renameMailbox(s, "INBOX", "Old Inbox");
            return null;
        });
        assertSearch(s, mailboxId(s, "Old Inbox"), new SearchKey.Text(true, "movable"), 1);
        assertSearch(s, mailboxId(s, "INBOX"), new SearchKey.Text(true, "movable"));
    }

    @Test
    void answersEqualTheScannersForEveryKindOfKey() throws Exception {
        account("gus");
        SessionInfo s = session("gus");
        append(s, "INBOX", "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nFrom: =?UTF-8?Q?J=C3=B6rg?= <j@example.de>\r\n"
                + "X-Ticket: abc-123\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n"
                + "--o\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "FÜNF Einheiten, bitte.\r\n--o\r\nContent-Type: message/rfc822\r\n\r\n"
                + "Subject: inner pineapple\r\n\r\ninner text\r\n--o--\r\n");
        append(s, "INBOX", "Subject: Lunch\r\nFrom: bob@example.org\r\nTo: ann@example.com\r\n"
                + "X-Ticket: ZZZ-9\r\n\r\nPizza today?\r\n");
        append(s, "INBOX", "Subject: =?ISO-8859-1?Q?caf=E9?=\r\nCc: carl@example.com\r\n"
                + "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n"
                + "\r\nCr=E8me br=FBl=E9e\r\n");
        append(s, "INBOX", "no header at all, just text with a pizzeria\r\n");
        long inbox = mailboxId(s, "INBOX");
        List<SearchKey> keys = List.of(
                new SearchKey.Text(true, "pineapple"), new SearchKey.Text(true, "inner text"),
                new SearchKey.Text(false, "pineapple"), new SearchKey.Text(true, "fünf einheiten"),
                new SearchKey.Text(true, "Einheit"), new SearchKey.Text(true, "pizz"), new SearchKey.Text(false, "lunch"),
                new SearchKey.Text(true, "lunch"), new SearchKey.Text(false, "zzz-9"), new SearchKey.Text(false, "ZZZ"),
                new SearchKey.Text(false, "x-ticket: abc"), new SearchKey.Text(true, "brûlée"),
                new SearchKey.Text(true, "e"), new SearchKey.Text(false, "example"),
                new SearchKey.Header("Subject", "grüße"), new SearchKey.Header("subject", "CAFÉ"),
                new SearchKey.Header("From", "jörg"), new SearchKey.Header("FROM", "example.org"),
                new SearchKey.Header("To", "ann@"), new SearchKey.Header("Cc", "CARL"), new SearchKey.Header("Bcc", "x"),
                new SearchKey.Header("X-Ticket", "abc"),
                new SearchKey.Not(new SearchKey.Text(true, "pizza")),
                new SearchKey.Or(new SearchKey.Text(true, "pizza"), new SearchKey.Header("Subject", "lunch")),
                new SearchKey.And(List.of(new SearchKey.Flag("\\Seen", false), new SearchKey.Text(false, "example"),
                        new SearchKey.Not(new SearchKey.Text(true, "pizza")))));
        for (SearchKey key : keys) {
            long[] scanned = tx(em -> new MessageSearch(new MailboxSql(em), blobs, Instant.now())
                    .search(inbox, key));
            long[] indexed = tx(em -> access(em).search(s, inbox, key));
            assertArrayEquals(scanned, indexed, key + ": scanner " + Arrays.toString(scanned) + ", index "
                    + Arrays.toString(indexed));
        }
        assertArrayEquals(new long[] {1}, tx(em -> access(em).search(s, inbox, keys.get(0))), "sanity");
    }

    @Test
    void oversizedTextIsLeftToTheScanner() throws Exception {
        account("hal");
        SessionInfo s = session("hal");
        StringBuilder body = new StringBuilder();
        while (body.length() < SearchTerms.MAX_TEXT_CHARS + 1000) {
            body.append("filler words to reach the limit\r\n");
        }
        body.append("needleatthevend\r\n");
        append(s, "INBOX", "Subject: big\r\n\r\n" + body);
        append(s, "INBOX", "Subject: small\r\n\r\nfiller\r\n");
        long inbox = mailboxId(s, "INBOX");
        assertSearch(s, inbox, new SearchKey.Text(true, "needleatthevend"), 1);
        assertSearch(s, inbox, new SearchKey.Text(true, "filler"), 1, 2);
        assertSearch(s, inbox, new SearchKey.Text(true, "absentword"));
    }

    @Test
    void anUntrustedIndexFallsBackToTheScannerAndIsRebuiltAtTheNextStart() throws Exception {
        account("ivy");
        SessionInfo s = session("ivy");
        append(s, "INBOX", "Subject: 1\r\n\r\nrebuildable content\r\n");
        long inbox = mailboxId(s, "INBOX");
        SearchKey key = new SearchKey.Text(true, "rebuildable");
        assertNotEquals(key, tx(em -> new MessageIndex(em).narrow(inbox, key)), "narrowed while ready");

        IndexState.of(emf).markStale();
        assertSame(key, tx(em -> new MessageIndex(em).narrow(inbox, key)), "a stale index is not asked");
        assertSearch(s, inbox, key, 1);
        append(s, "INBOX", "Subject: 2\r\n\r\nrebuildable as well\r\n");
        assertSearch(s, inbox, key, 1, 2);

        IndexMaintenance.stop(emf);
        assertSame(key, tx(em -> new MessageIndex(em).narrow(inbox, key)), "a stopped index is not asked");
        assertSearch(s, inbox, key, 1, 2);
        startIndex(); // dirty: rebuilt by the mass indexer
        assertEquals(IndexState.Status.READY, IndexState.of(emf).status());
        assertNotEquals(key, tx(em -> new MessageIndex(em).narrow(inbox, key)), "trusted again");
        assertSearch(s, inbox, key, 1, 2);
    }

    @Test
    void anIndexOfAnOlderFormatIsRebuiltAtStart() throws Exception {
        account("old");
        SessionInfo s = session("old");
        append(s, "INBOX", "Subject: 1\r\n\r\nformatword content\r\n");
        long inbox = mailboxId(s, "INBOX");
        SearchKey key = new SearchKey.Text(true, "formatword");
        assertSearch(s, inbox, key, 1);
        IndexMaintenance.stop(emf);
        Path format = temp.resolve("index").resolve("merpati-index-format");
        assertEquals("2", Files.readString(format).trim(), "written when the index became ready");
        Files.writeString(format, "1"); // as written by a version whose UIDs were stored fields only
        startIndex();
        assertEquals(IndexState.Status.READY, IndexState.of(emf).status());
        assertEquals("2", Files.readString(format).trim(), "rebuilt in the current format");
        assertNotEquals(key, tx(em -> new MessageIndex(em).narrow(inbox, key)), "trusted again");
        assertSearch(s, inbox, key, 1);
    }

    // ---- helpers ----

    private void startIndex() throws Exception {
        EntityManager em = emf.createEntityManager();
        try {
            IndexMaintenance.start(emf, em).toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            em.close();
        }
    }

    /** Searches and checks the UIDs; the index may lag, so a mismatch is retried until {@link #PATIENCE}. */
    private void assertSearch(SessionInfo s, long mailbox, SearchKey key, long... expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long[] got;
        do {
            got = tx(em -> access(em).search(s, mailbox, key));
            if (Arrays.equals(expected, got)) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertArrayEquals(expected, got, key + " gave " + Arrays.toString(got));
    }

    private void eventually(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!check.ok()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    /** UIDs the index itself holds for a word in a mailbox (stale documents included). */
    private List<Long> indexedUids(long mailbox, String word) throws Exception {
        return tx(em -> org.hibernate.search.mapper.orm.Search.session(em).search(
                        org.merpati.ejb.storage.jpa.MessageEntity.class)
                .select(f -> f.field("uid", Long.class))
                .where(f -> f.bool().filter(f.match().field("mailbox").matching(mailbox))
                        .filter(f.prefix().field("body").matching(word)))
                .fetchAllHits().stream().sorted().toList());
    }

    private DirectoryManager directory(EntityManager em) {
        return new DirectoryManager(em, hasher, config);
    }

    private MailboxManager access(EntityManager em) {
        return new MailboxManager(em, blobs, ChangeNotifier.immediate());
    }

    private void account(String local) throws MailAccessException {
        tx(em -> directory(em).createAccount(local + "@" + domain, "long-enough", null, false));
    }

    private SessionInfo session(String local) {
        return new SessionInfo("s-" + local, "IMAP", "127.0.0.1", 40000, null, "127.0.0.1", 143, null, null,
                local + "@" + domain);
    }

    private long mailboxId(SessionInfo s, String name) throws MailAccessException {
        return tx(em -> access(em).status(s, name)).id();
    }

    private AppendResult append(SessionInfo s, String mailbox, String message) throws Exception {
        Path file = Files.createTempFile(spoolDir, "append-", ".eml");
        Files.writeString(file, message, StandardCharsets.UTF_8);
        try {
            return tx(em -> access(em).append(s, mailbox, file, Files.size(file), Set.of(), null));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private long deliver(String local, String message) throws Exception {
        var ingested = new MessageIngest(blobs).store(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        // as DeliveryService does: the index terms are read before the transaction (APPEND and COPY read them
        // in the index bridge, so both ways are covered)
        var stored = ingested.withIndexText(blobs.pathOf(ingested.blob().id()));
        List<Recipient> rcpts = List.of(new Recipient(local + "@" + domain, null, null));
        Envelope envelope = new Envelope("sender@remote.example", rcpts, "7BIT", false, null, null, -1);
        return tx(em -> new LocalDelivery(new DirectoryRepository(em), new MailboxRepository(em))
                .deliver(rcpts, envelope, false, stored, Instant.now())).get(0).uid();
    }

    /** Work in one transaction. */
    @FunctionalInterface
    protected interface Work<T> {
        T run(EntityManager em) throws Exception;
    }

    /** Runs the work in a resource-local transaction, rolling back when it throws. */
    protected <T> T tx(Work<T> work) throws MailAccessException {
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
