package org.merpati.ejb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
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
import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.access.AppendRequest;
import org.merpati.connector.api.access.AppendResult;
import org.merpati.connector.api.access.BodyPart;
import org.merpati.connector.api.access.CopyResult;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailAccessException.Kind;
import org.merpati.connector.api.access.MailboxChangeBus;
import org.merpati.connector.api.access.MailboxChanges;
import org.merpati.connector.api.access.MailboxInfo;
import org.merpati.connector.api.access.MailboxSnapshot;
import org.merpati.connector.api.access.MailboxStatus;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.MessageFlags;
import org.merpati.connector.api.access.QuotaUsage;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.connector.api.access.StoreResult;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.SchemaMigration;
import org.merpati.ejb.service.ChangeNotifier;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.LocalDelivery;
import org.merpati.ejb.service.MailboxManager;
import org.merpati.ejb.service.MessageIngest;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.service.StoredMessage;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.BlobEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.MailboxRepository;

/**
 * The mailbox access contract (what IMAP and POP3 call) on every backend: migrated from the Flyway scripts,
 * services outside a container on resource-local transactions, one domain per test. Run on H2 and on
 * PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MailAccessContractTest {

    private static final AtomicInteger DOMAINS = new AtomicInteger();

    private EntityManagerFactory emf;
    private final MerpatiConfig config = MerpatiConfig.of(Map.of("MERPATI_PRIMARY_DOMAIN", "primary.test",
            "MERPATI_HOSTNAME", "mx.test"));
    private final PasswordHasher hasher = new PasswordHasher(1_000);
    private String domain;
    private BlobStore blobs;
    private Path spoolDir;

    protected abstract DataSource freshDatabase() throws Exception;

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
        emf = Persistence.createEntityManagerFactory("merpati", properties);
    }

    @AfterAll
    void close() {
        if (emf != null) {
            emf.close();
        }
    }

    @BeforeEach
    void newDomain(@TempDir Path temp) throws Exception {
        domain = "a" + DOMAINS.incrementAndGet() + ".example";
        blobs = new BlobStore(temp.resolve("blobs"));
        spoolDir = Files.createDirectories(temp.resolve("spool"));
        tx(em -> directory(em).createDomain(domain));
    }

    // ---- authentication and sessions ----

    @Test
    void authenticateChecksPasswordAuthzidAndEnabledFlag() throws Exception {
        account("alice");
        assertEquals("alice@" + domain, authenticate(null, "Alice@" + domain, "long-enough"));
        assertEquals("alice@" + domain, authenticate("", "alice@" + domain, "long-enough"));
        assertEquals("alice@" + domain, authenticate("ALICE@" + domain, "alice@" + domain, "long-enough"));
        assertNull(authenticate(null, "alice@" + domain, "wrong-password"));
        assertNull(authenticate(null, "nobody@" + domain, "long-enough"));
        account("bob");
        assertNull(authenticate("bob@" + domain, "alice@" + domain, "long-enough"), "no proxy authorization");
        tx(em -> {
            directory(em).setEnabled("alice@" + domain, false);
            return null;
        });
        assertNull(authenticate(null, "alice@" + domain, "long-enough"));
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).listMailboxes(session("alice"))),
                "a disabled account's open sessions are refused too");
    }

    @Test
    void everyCallNeedsAnAuthenticatedUser() {
        SessionInfo anonymous = new SessionInfo("s0", "IMAP", "127.0.0.1", 1, null, "127.0.0.1", 143, null, null,
                null);
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).listMailboxes(anonymous)));
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).select(anonymous, "INBOX", false)));
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).quota(anonymous)));
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).quota(null)));
    }

    // ---- mailboxes ----

    @Test
    void listingCreatingWithParentsAndSpecialUse() throws Exception {
        account("carl");
        SessionInfo s = session("carl");
        assertEquals(List.of("Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"), names(s));
        MailboxInfo created = tx(em -> access(em).createMailbox(s, "Work/Projects/2026", null));
        assertEquals("Work/Projects/2026", created.name());
        assertFalse(created.subscribed(), "CREATE does not subscribe");
        assertTrue(names(s).containsAll(List.of("Work", "Work/Projects", "Work/Projects/2026")));
        assertKind(Kind.ALREADY_EXISTS, () -> tx(em -> access(em).createMailbox(s, "Work/Projects", null)));
        assertKind(Kind.ALREADY_EXISTS, () -> tx(em -> access(em).createMailbox(s, "inbox", null)));
        MailboxInfo sent = tx(em -> access(em).createMailbox(s, "Sent Items", "\\sent"));
        assertEquals("\\Sent", sent.specialUse());
        assertKind(Kind.CANNOT, () -> tx(em -> access(em).createMailbox(s, "Everything", "\\All")));
        assertKind(Kind.CANNOT, () -> tx(em -> access(em).createMailbox(s, "Odd", "\\Bogus")));
        assertFalse(names(s).contains("Everything"), "refused special use creates nothing");
        MailboxInfo child = tx(em -> access(em).createMailbox(s, "inbox/Receipts", null));
        assertEquals("INBOX/Receipts", child.name(), "INBOX is canonical as a parent too");
    }

    @Test
    void invalidNamesAreRefused() throws Exception {
        account("dora");
        SessionInfo s = session("dora");
        for (String bad : List.of("", "a*b", "a%", "/lead", "trail/", "a//b", "tab\there", "nul\u0000",
                "x".repeat(1001))) {
            assertKind(Kind.INVALID, () -> tx(em -> access(em).createMailbox(s, bad, null)), bad);
            assertKind(Kind.INVALID, () -> tx(em -> access(em).status(s, bad)), bad);
        }
        assertEquals("INBOX", tx(em -> access(em).status(s, "iNbOx")).name());
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).status(s, "Nope")));
    }

    @Test
    void deleteKeepsChildrenReleasesStorageAndRecreatedMailboxGetsNewUidValidity() throws Exception {
        account("emil");
        SessionInfo s = session("emil");
        tx(em -> access(em).createMailbox(s, "Old/Child", null));
        AppendResult appended = append(s, "Old", "Subject: old\r\n\r\nold body\r\n", Set.of(), null);
        String blobId = blobIdOf(s, appended);
        long usedBefore = quota(s).usedBytes();
        assertTrue(usedBefore > 0);
        assertKind(Kind.CANNOT, () -> tx(em -> {
            access(em).deleteMailbox(s, "inbox");
            return null;
        }));
        tx(em -> {
            access(em).deleteMailbox(s, "Old");
            return null;
        });
        assertFalse(names(s).contains("Old"));
        assertTrue(names(s).contains("Old/Child"), "children stay");
        assertEquals(0, quota(s).usedBytes());
        assertEquals(0L, refCount(blobId));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).select(s, "Old", false)));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> {
            access(em).deleteMailbox(s, "Old");
            return null;
        }));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).fetch(s, appended.mailboxId(),
                new long[] {appended.uid()}, false)), "the old id is gone");
        tx(em -> access(em).createMailbox(s, "Old", null));
        MailboxStatus again = tx(em -> access(em).status(s, "Old"));
        assertNotEquals(appended.uidValidity(), again.uidValidity());
        assertEquals(1, again.uidNext());
    }

    @Test
    void renameMovesChildrenAndRefusesExistingTargets() throws Exception {
        account("fay");
        SessionInfo s = session("fay");
        tx(em -> access(em).createMailbox(s, "Projects/A/Deep", null));
        AppendResult inA = append(s, "Projects/A", "Subject: a\r\n\r\na\r\n", Set.of(), null);
        tx(em -> {
            access(em).renameMailbox(s, "Projects", "Archive/Projects");
            return null;
        });
        List<String> names = names(s);
        assertTrue(names.containsAll(List.of("Archive/Projects", "Archive/Projects/A", "Archive/Projects/A/Deep")));
        assertFalse(names.stream().anyMatch(n -> n.startsWith("Projects")));
        MailboxStatus moved = tx(em -> access(em).status(s, "Archive/Projects/A"));
        assertEquals(inA.mailboxId(), moved.id(), "same mailbox, new name");
        assertEquals(inA.uidValidity(), moved.uidValidity());
        assertEquals(1, moved.messages());
        assertKind(Kind.ALREADY_EXISTS, () -> tx(em -> {
            access(em).renameMailbox(s, "Sent", "Drafts");
            return null;
        }));
        assertKind(Kind.ALREADY_EXISTS, () -> tx(em -> {
            access(em).renameMailbox(s, "Sent", "INBOX");
            return null;
        }));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> {
            access(em).renameMailbox(s, "Missing", "Other");
            return null;
        }));
        assertKind(Kind.CANNOT, () -> tx(em -> {
            access(em).renameMailbox(s, "Sent", "Sent/Inside");
            return null;
        }));
        tx(em -> {
            access(em).renameMailbox(s, "Sent", "New/Sent");
            return null;
        });
        assertTrue(names(s).containsAll(List.of("New", "New/Sent")), "missing parents of the target are created");
    }

    @Test
    void renamingInboxMovesItsMessagesAndLeavesItEmpty() throws Exception {
        account("gus");
        SessionInfo s = session("gus");
        deliver("gus", "Subject: one\r\n\r\n1\r\n");
        deliver("gus", "Subject: two\r\n\r\n2\r\n");
        tx(em -> access(em).createMailbox(s, "INBOX/Child", null));
        MailboxSnapshot before = tx(em -> access(em).select(s, "INBOX", false));
        tx(em -> {
            access(em).renameMailbox(s, "inbox", "Old Inbox");
            return null;
        });
        MailboxSnapshot inbox = tx(em -> access(em).select(s, "INBOX", false));
        assertEquals(before.status().id(), inbox.status().id());
        assertEquals(0, inbox.uids().length);
        assertEquals(0, inbox.status().messages());
        assertEquals(3, inbox.status().uidNext(), "INBOX's UIDs are not handed out again");
        assertTrue(names(s).contains("INBOX/Child"), "INBOX's children stay");
        MailboxChanges changes = tx(em -> access(em).changesSince(s, inbox.status().id(),
                before.status().highestModseq()));
        assertArrayEquals(new long[] {1, 2}, changes.expunged(), "sessions on INBOX see the messages vanish");
        MailboxSnapshot old = tx(em -> access(em).select(s, "Old Inbox", false));
        assertArrayEquals(new long[] {1, 2}, old.uids());
        assertEquals(3, old.status().uidNext());
        assertNotEquals(before.status().uidValidity(), old.status().uidValidity());
        assertEquals(2, tx(em -> access(em).fetch(s, old.status().id(), new long[] {1, 2}, false)).size());
        assertEquals(2, quota(s).messages());
        deliver("gus", "Subject: three\r\n\r\n3\r\n");
        assertArrayEquals(new long[] {3}, tx(em -> access(em).select(s, "INBOX", false)).uids());
        tx(em -> {
            access(em).renameMailbox(s, "INBOX", "INBOX/Old");
            return null;
        });
        assertArrayEquals(new long[] {3}, tx(em -> access(em).select(s, "INBOX/Old", false)).uids(),
                "INBOX may be renamed below itself");
    }

    @Test
    void subscriptions() throws Exception {
        account("hal");
        SessionInfo s = session("hal");
        tx(em -> access(em).createMailbox(s, "Lists", null));
        tx(em -> {
            access(em).setSubscribed(s, "Lists", true);
            return null;
        });
        assertTrue(info(s, "Lists").subscribed());
        tx(em -> {
            access(em).setSubscribed(s, "Lists", false);
            return null;
        });
        assertFalse(info(s, "Lists").subscribed());
        assertKind(Kind.NONEXISTENT, () -> tx(em -> {
            access(em).setSubscribed(s, "Nope", true);
            return null;
        }));
    }

    // ---- select, fetch ----

    @Test
    void selectSnapshotHasUidsKeywordsAndFirstUnseen() throws Exception {
        account("ida");
        SessionInfo s = session("ida");
        append(s, "INBOX", "Subject: 1\r\n\r\n1\r\n", Set.of("\\Seen", "Work"), null);
        append(s, "INBOX", "Subject: 2\r\n\r\n2\r\n", Set.of("\\Deleted", "$Forwarded"), null);
        append(s, "INBOX", "Subject: 3\r\n\r\n3\r\n", Set.of("work"), null);
        MailboxSnapshot snapshot = tx(em -> access(em).select(s, "inbox", true));
        assertArrayEquals(new long[] {1, 2, 3}, snapshot.uids());
        assertEquals(2, snapshot.firstUnseenUid());
        assertTrue(snapshot.readOnly());
        assertEquals(2, snapshot.keywordsInUse().size(), snapshot.keywordsInUse().toString());
        assertTrue(snapshot.keywordsInUse().contains("$Forwarded"));
        MailboxStatus status = snapshot.status();
        assertEquals(3, status.messages());
        assertEquals(2, status.unseen());
        assertEquals(1, status.deleted());
        assertEquals(4, status.uidNext());
        assertEquals(3, status.highestModseq());
        assertTrue(status.sizeBytes() > 0);
        assertEquals(status.sizeBytes(), tx(em -> access(em).status(s, "INBOX")).sizeBytes());
    }

    private static final String MULTIPART = String.join("\r\n",
            "From: \"Doe, Jane\" <jane@example.com>, =?UTF-8?Q?J=C3=B6rg?= <joerg@example.com>",
            "To: team: a@example.com, b@example.com;",
            "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= from the lab",
            "Date: Tue, 3 Mar 2026 10:00:00 +0100",
            "Message-ID: <lab-1@example.com>",
            "X-Ticket: ABC-123",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"b1\"",
            "",
            "--b1",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Die Messung ergab f=C3=BCnf Einheiten.",
            "--b1",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            "U2VjcmV0IHdvcmQ6IHBpbmVhcHBsZQ==",
            "--b1",
            "Content-Type: message/rfc822",
            "",
            "From: inner@example.com",
            "Subject: inner",
            "",
            "inner text",
            "--b1--",
            "");

    @Test
    void fetchReturnsOnlyAskedRowsWithFlagsEmailIdAndStructureOffsetsIntoTheBlob() throws Exception {
        account("jan");
        SessionInfo s = session("jan");
        // a delivered copy has trace fields in front: the offsets must count them
        StoredMessage stored = new MessageIngest(blobs).store(
                "Return-Path: <x@remote.example>\r\nReceived: from remote by mx.test\r\n".getBytes(
                        StandardCharsets.US_ASCII), spool(MULTIPART));
        deliverStored("jan", stored);
        deliver("jan", "Subject: other\r\n\r\nother\r\n");
        long inbox = tx(em -> access(em).select(s, "INBOX", false)).status().id();
        List<MessageData> rows = tx(em -> access(em).fetch(s, inbox, new long[] {1, 99}, true));
        assertEquals(1, rows.size(), "unknown UIDs are left out");
        MessageData m = rows.get(0);
        assertEquals(1, m.uid());
        assertEquals(Set.of(), m.flags());
        assertEquals("M" + stored.blob().id(), m.emailId());
        assertNull(m.threadId());
        assertEquals(stored.blob().size(), m.size());
        assertEquals(blobs.pathOf(stored.blob().id()).toString(), m.blobPath());
        assertEquals("=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= from the lab", m.envelope().subject());
        assertEquals(2, m.envelope().from().size());
        assertEquals("Doe, Jane", m.envelope().from().get(0).name());
        assertEquals("jane", m.envelope().from().get(0).mailbox());
        assertEquals("example.com", m.envelope().from().get(0).host());
        assertEquals(m.envelope().from(), m.envelope().sender(), "sender defaults to from");
        assertEquals(m.envelope().from(), m.envelope().replyTo());
        assertEquals(4, m.envelope().to().size(), "group start, two members, group end");
        assertEquals("team", m.envelope().to().get(0).mailbox());
        assertNull(m.envelope().to().get(0).host());
        assertEquals("<lab-1@example.com>", m.envelope().messageId());
        BodyPart root = m.structure();
        assertTrue(root.isMultipart());
        assertEquals(3, root.parts().size());
        BodyPart qp = root.parts().get(0);
        assertEquals("quoted-printable", qp.encoding());
        assertEquals("utf-8", qp.params().get("charset"));
        assertEquals("Die Messung ergab f=C3=BCnf Einheiten.", bytesAt(m.blobPath(), qp.bodyOffset(), qp.size()));
        assertTrue(bytesAt(m.blobPath(), qp.headerOffset(), qp.bodyOffset() - qp.headerOffset())
                .startsWith("Content-Type: text/plain"));
        BodyPart attached = root.parts().get(2);
        assertTrue(attached.isMessage());
        assertEquals("inner", attached.messageEnvelope().subject());
        assertEquals("inner text", bytesAt(m.blobPath(), attached.message().bodyOffset(),
                attached.message().size()));
        List<MessageData> plain = tx(em -> access(em).fetch(s, inbox, new long[] {2, 1}, false));
        assertEquals(List.of(1L, 2L), plain.stream().map(MessageData::uid).toList(), "ascending by UID");
        assertNull(plain.get(0).envelope());
        assertNull(plain.get(0).structure());
    }

    @Test
    void fetchInBatchesOfRanges() throws Exception {
        account("kai");
        SessionInfo s = session("kai");
        for (int i = 0; i < 150; i++) {
            append(s, "INBOX", "Subject: n" + i + "\r\n\r\nx\r\n", Set.of(), null);
        }
        long inbox = mailboxId(s, "INBOX");
        long[] odd = LongStream.rangeClosed(1, 150).filter(u -> u % 2 == 1).toArray(); // 75 one-UID ranges
        assertArrayEquals(odd, tx(em -> access(em).fetch(s, inbox, odd, false)).stream()
                .mapToLong(MessageData::uid).toArray());
    }

    // ---- store, expunge, changes ----

    @Test
    void storeChangesFlagsAndGivesOneNewModseqPerOperationToChangedMessagesOnly() throws Exception {
        account("lea");
        SessionInfo s = session("lea");
        for (int i = 0; i < 3; i++) {
            append(s, "INBOX", "Subject: " + i + "\r\n\r\nx\r\n", Set.of(), null);
        }
        long inbox = mailboxId(s, "INBOX");
        append(s, "INBOX", "Subject: seen\r\n\r\nx\r\n", Set.of("\\Seen"), null); // uid 4, modseq 4
        StoreResult added = store(s, inbox, new long[] {1, 2, 4}, FlagOperation.ADD, Set.of("\\seen", "Work"), -1);
        assertEquals(List.of(1L, 2L, 4L), added.changed().stream().map(MessageFlags::uid).toList());
        assertTrue(added.changed().stream().allMatch(f -> f.modseq() == 5), "one MODSEQ for the operation");
        assertEquals(Set.of("\\Seen", "Work"), added.changed().get(0).flags());
        StoreResult again = store(s, inbox, new long[] {1}, FlagOperation.ADD, Set.of("WORK"), -1);
        assertTrue(again.changed().isEmpty(), "keywords compare case-insensitively; nothing changed");
        assertEquals(5, tx(em -> access(em).status(s, "INBOX")).highestModseq(), "no change, no MODSEQ");
        StoreResult removed = store(s, inbox, new long[] {1, 3}, FlagOperation.REMOVE, Set.of("work"), -1);
        assertEquals(List.of(1L), removed.changed().stream().map(MessageFlags::uid).toList());
        assertEquals(Set.of("\\Seen"), removed.changed().get(0).flags());
        StoreResult replaced = store(s, inbox, new long[] {3}, FlagOperation.REPLACE,
                Set.of("\\Flagged", "\\Answered", "\\Draft", "$Label1"), -1);
        assertEquals(Set.of("\\Flagged", "\\Answered", "\\Draft", "$Label1"), replaced.changed().get(0).flags());
        assertEquals(7, replaced.changed().get(0).modseq());
        assertKind(Kind.INVALID, () -> store(s, inbox, new long[] {1}, FlagOperation.ADD, Set.of("\\Recent"), -1));
        assertKind(Kind.INVALID, () -> store(s, inbox, new long[] {1}, FlagOperation.ADD, Set.of("\\Bogus"), -1));
        assertKind(Kind.INVALID, () -> store(s, inbox, new long[] {1}, FlagOperation.ADD, Set.of("bad(kw"), -1));
        List<MessageData> rows = tx(em -> access(em).fetch(s, inbox, new long[] {1, 2, 3, 4}, false));
        assertEquals(List.of(6L, 5L, 7L, 5L), rows.stream().map(MessageData::modseq).toList());
    }

    @Test
    void systemFlagStoresKeepKeywordsAndReplaceClearsThem() throws Exception {
        account("kai");
        SessionInfo s = session("kai");
        append(s, "INBOX", "Subject: 1\r\n\r\nx\r\n", Set.of("\\Seen", "Work"), null); // uid 1, modseq 1
        append(s, "INBOX", "Subject: 2\r\n\r\nx\r\n", Set.of(), null);                   // uid 2, modseq 2
        long inbox = mailboxId(s, "INBOX");
        record Step(FlagOperation op, Set<String> flags, long[] uids, List<Long> changed, Set<String> flagsOf1) {
        }
        List<Step> steps = List.of(
                new Step(FlagOperation.ADD, Set.of("\\Flagged"), new long[] {1, 2, 99}, List.of(1L, 2L),
                        Set.of("\\Seen", "\\Flagged", "Work")),
                new Step(FlagOperation.ADD, Set.of("\\flagged"), new long[] {1, 2}, List.of(),
                        Set.of("\\Seen", "\\Flagged", "Work")),
                new Step(FlagOperation.REMOVE, Set.of("\\Seen", "\\Answered"), new long[] {1, 2}, List.of(1L),
                        Set.of("\\Flagged", "Work")),
                new Step(FlagOperation.ADD, Set.of(), new long[] {1, 2}, List.of(), Set.of("\\Flagged", "Work")),
                new Step(FlagOperation.REPLACE, Set.of("\\Flagged"), new long[] {1, 2}, List.of(1L),
                        Set.of("\\Flagged")),
                new Step(FlagOperation.REPLACE, Set.of("\\Flagged"), new long[] {1, 2}, List.of(), Set.of("\\Flagged")),
                new Step(FlagOperation.REPLACE, Set.of(), new long[] {1}, List.of(1L), Set.of()));
        long modSeq = 2;
        for (Step step : steps) {
            StoreResult r = store(s, inbox, step.uids(), step.op(), step.flags(), -1);
            String what = step.op() + " " + step.flags();
            assertEquals(step.changed(), r.changed().stream().map(MessageFlags::uid).toList(), what);
            if (!step.changed().isEmpty()) {
                modSeq++;
            }
            long expected = modSeq;
            assertTrue(r.changed().stream().allMatch(f -> f.modseq() == expected), what + ": one new MODSEQ");
            assertEquals(modSeq, tx(em -> access(em).status(s, "INBOX")).highestModseq(), what);
            MessageData one = tx(em -> access(em).fetch(s, inbox, new long[] {1}, false)).get(0);
            assertEquals(step.flagsOf1(), one.flags(), what);
            r.changed().stream().filter(f -> f.uid() == 1).forEach(f -> assertEquals(step.flagsOf1(), f.flags()));
        }
        MailboxChanges changes = tx(em -> access(em).changesSince(s, inbox, 2));
        assertEquals(List.of(1L, 2L), changes.changed().stream().map(MessageFlags::uid).toList());
    }

    @Test
    void aDisabledAccountIsRefusedOnEveryMailboxCall() throws Exception {
        account("dee");
        SessionInfo s = session("dee");
        append(s, "INBOX", "Subject: 1\r\n\r\nx\r\n", Set.of(), null);
        long inbox = mailboxId(s, "INBOX");
        tx(em -> {
            directory(em).setEnabled("dee@" + domain, false);
            return null;
        });
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).status(s, "INBOX")));
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).select(s, "INBOX", false)));
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).fetch(s, inbox, new long[] {1}, false)));
        assertKind(Kind.NO_PERMISSION, () -> store(s, inbox, new long[] {1}, FlagOperation.ADD, Set.of("\\Deleted"),
                -1));
        assertKind(Kind.NO_PERMISSION, () -> expunge(s, inbox, null));
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).search(s, inbox, new SearchKey.All())));
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).changesSince(s, inbox, 0)));
    }

    @Test
    void unchangedSinceLeavesNewerMessagesAloneAndReportsThem() throws Exception {
        account("max");
        SessionInfo s = session("max");
        append(s, "INBOX", "Subject: 1\r\n\r\nx\r\n", Set.of(), null); // modseq 1
        append(s, "INBOX", "Subject: 2\r\n\r\nx\r\n", Set.of(), null); // modseq 2
        long inbox = mailboxId(s, "INBOX");
        store(s, inbox, new long[] {2}, FlagOperation.ADD, Set.of("\\Flagged"), -1); // uid 2 -> modseq 3
        StoreResult result = store(s, inbox, new long[] {1, 2}, FlagOperation.ADD, Set.of("\\Seen"), 2);
        assertEquals(List.of(1L), result.changed().stream().map(MessageFlags::uid).toList());
        assertArrayEquals(new long[] {2}, result.modified());
        assertEquals(Set.of("\\Flagged"), tx(em -> access(em).fetch(s, inbox, new long[] {2}, false)).get(0).flags());
        StoreResult none = store(s, inbox, new long[] {1, 2}, FlagOperation.ADD, Set.of("\\Seen"), 0);
        assertArrayEquals(new long[] {1, 2}, none.modified(), "UNCHANGEDSINCE 0 always fails");
    }

    @Test
    void expungeRemovesDeletedLogsUidsAndNeverReusesThem() throws Exception {
        account("nia");
        SessionInfo s = session("nia");
        for (int i = 1; i <= 4; i++) {
            append(s, "INBOX", "Subject: " + i + "\r\n\r\nbody " + i + "\r\n", Set.of(), null);
        }
        long inbox = mailboxId(s, "INBOX");
        String blob3 = tx(em -> access(em).fetch(s, inbox, new long[] {3}, false)).get(0).emailId().substring(1);
        long used = quota(s).usedBytes();
        long size3 = tx(em -> access(em).fetch(s, inbox, new long[] {3}, false)).get(0).size();
        store(s, inbox, new long[] {1, 3, 4}, FlagOperation.ADD, Set.of("\\Deleted"), -1); // modseq 5
        assertArrayEquals(new long[] {3}, expunge(s, inbox, new long[] {2, 3}), "only \\Deleted among the UIDs");
        assertEquals(used - size3, quota(s).usedBytes());
        assertEquals(0L, refCount(blob3));
        assertArrayEquals(new long[] {1, 4}, expunge(s, inbox, null));
        assertArrayEquals(new long[0], expunge(s, inbox, null));
        MailboxStatus status = tx(em -> access(em).status(s, "INBOX"));
        assertEquals(1, status.messages());
        assertEquals(7, status.highestModseq(), "one MODSEQ per expunge");
        AppendResult next = append(s, "INBOX", "Subject: 5\r\n\r\nx\r\n", Set.of(), null);
        assertEquals(5, next.uid(), "UIDs are never reused after an expunge");
        deliver("nia", "Subject: 6\r\n\r\nx\r\n");
        assertArrayEquals(new long[] {2, 5, 6}, tx(em -> access(em).select(s, "INBOX", false)).uids());
    }

    @Test
    void changesSinceReportsFlagChangesNewMessagesAndExpungesWithStrictlyIncreasingModseqs() throws Exception {
        account("ole");
        SessionInfo s = session("ole");
        for (int i = 1; i <= 3; i++) {
            append(s, "INBOX", "Subject: " + i + "\r\n\r\nx\r\n", Set.of(), null);
        }
        long inbox = mailboxId(s, "INBOX");
        long known = tx(em -> access(em).status(s, "INBOX")).highestModseq();
        List<Long> highest = new ArrayList<>(List.of(known));
        store(s, inbox, new long[] {2}, FlagOperation.ADD, Set.of("\\Seen"), -1);
        highest.add(tx(em -> access(em).status(s, "INBOX")).highestModseq());
        store(s, inbox, new long[] {3}, FlagOperation.ADD, Set.of("\\Deleted"), -1);
        highest.add(tx(em -> access(em).status(s, "INBOX")).highestModseq());
        expunge(s, inbox, null);
        highest.add(tx(em -> access(em).status(s, "INBOX")).highestModseq());
        deliver("ole", "Subject: 4\r\n\r\nx\r\n");
        highest.add(tx(em -> access(em).status(s, "INBOX")).highestModseq());
        for (int i = 1; i < highest.size(); i++) {
            assertTrue(highest.get(i) > highest.get(i - 1), "HIGHESTMODSEQ strictly increases: " + highest);
        }
        MailboxChanges changes = tx(em -> access(em).changesSince(s, inbox, known));
        assertEquals(List.of(2L, 4L), changes.changed().stream().map(MessageFlags::uid).toList());
        assertEquals(Set.of("\\Seen"), changes.changed().get(0).flags());
        assertArrayEquals(new long[] {3}, changes.expunged());
        assertEquals(highest.get(highest.size() - 1), changes.highestModseq());
        assertEquals(5, changes.uidNext());
        MailboxChanges later = tx(em -> access(em).changesSince(s, inbox, changes.highestModseq()));
        assertTrue(later.changed().isEmpty());
        assertEquals(0, later.expunged().length);
    }

    @Test
    void changesArePublishedOnTheBus() throws Exception {
        account("pia");
        SessionInfo s = session("pia");
        append(s, "INBOX", "Subject: 1\r\n\r\nx\r\n", Set.of(), null);
        long inbox = mailboxId(s, "INBOX");
        List<Long> heard = new CopyOnWriteArrayList<>();
        LongConsumer listener = heard::add;
        MailboxChangeBus.subscribe(inbox, listener);
        try {
            store(s, inbox, new long[] {1}, FlagOperation.ADD, Set.of("\\Deleted"), -1);
            expunge(s, inbox, null);
            append(s, "INBOX", "Subject: 2\r\n\r\nx\r\n", Set.of(), null);
        } finally {
            MailboxChangeBus.unsubscribe(inbox, listener);
        }
        assertEquals(List.of(2L, 3L, 4L), heard);
    }

    // ---- copy, move, append, quota ----

    @Test
    void copyAndMoveReportUidPairsShareBlobsAndKeepFlags() throws Exception {
        account("quin");
        SessionInfo s = session("quin");
        Instant internal = Instant.parse("2025-01-02T03:04:05Z");
        for (int i = 1; i <= 3; i++) {
            append(s, "INBOX", "Subject: " + i + "\r\n\r\nbody " + i + "\r\n", Set.of("\\Flagged", "Tag"), internal);
        }
        long inbox = mailboxId(s, "INBOX");
        append(s, "Archive", "Subject: already\r\n\r\nx\r\n", Set.of(), null); // Archive uid 1
        String blob1 = tx(em -> access(em).fetch(s, inbox, new long[] {1}, false)).get(0).emailId().substring(1);
        long used = quota(s).usedBytes();
        CopyResult copied = tx(em -> access(em).copy(s, inbox, new long[] {3, 1, 99}, "Archive", false));
        MailboxStatus archive = tx(em -> access(em).status(s, "Archive"));
        assertEquals(archive.id(), copied.targetMailboxId());
        assertEquals(archive.uidValidity(), copied.targetUidValidity());
        assertArrayEquals(new long[] {1, 3}, copied.sourceUids());
        assertArrayEquals(new long[] {2, 3}, copied.targetUids());
        assertEquals(4, archive.uidNext());
        assertEquals(2L, refCount(blob1));
        List<MessageData> copies = tx(em -> access(em).fetch(s, archive.id(), new long[] {2, 3}, false));
        assertEquals(Set.of("\\Flagged", "Tag"), copies.get(0).flags());
        assertEquals(internal, copies.get(0).internalDate(), "internal date kept");
        assertTrue(copies.get(0).savedDate().isAfter(internal), "saved date is now");
        assertEquals("M" + blob1, copies.get(0).emailId(), "copies share the EMAILID");
        assertTrue(quota(s).usedBytes() > used);
        long usedAfterCopy = quota(s).usedBytes();

        long inboxHighest = tx(em -> access(em).status(s, "INBOX")).highestModseq();
        CopyResult moved = tx(em -> access(em).copy(s, inbox, new long[] {1, 2}, "Trash", true));
        assertArrayEquals(new long[] {1, 2}, moved.sourceUids());
        assertArrayEquals(new long[] {1, 2}, moved.targetUids());
        assertArrayEquals(new long[] {3}, tx(em -> access(em).select(s, "INBOX", false)).uids());
        MailboxChanges vanished = tx(em -> access(em).changesSince(s, inbox, inboxHighest));
        assertArrayEquals(new long[] {1, 2}, vanished.expunged(), "MOVE expunges the sources (logged)");
        assertEquals(usedAfterCopy, quota(s).usedBytes(), "a move does not change usage");
        assertEquals(2L, refCount(blob1), "a move keeps the reference count");
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).copy(s, inbox, new long[] {3}, "Nowhere", false)));
        CopyResult nothing = tx(em -> access(em).copy(s, inbox, new long[] {42}, "Archive", false));
        assertEquals(0, nothing.sourceUids().length);
    }

    @Test
    void appendStoresExactBytesWithFlagsAndDate() throws Exception {
        account("rob");
        SessionInfo s = session("rob");
        String text = "Subject: appended\r\nFrom: rob@example.com\r\n\r\nexact bytes\r\n";
        Instant date = Instant.parse("2024-06-01T12:00:00Z");
        AppendResult result = append(s, "Drafts", text, Set.of("\\Draft", "\\Seen"), date);
        MailboxStatus drafts = tx(em -> access(em).status(s, "Drafts"));
        assertEquals(drafts.id(), result.mailboxId());
        assertEquals(drafts.uidValidity(), result.uidValidity());
        assertEquals(1, result.uid());
        MessageData m = tx(em -> access(em).fetch(s, result.mailboxId(), new long[] {1}, true)).get(0);
        assertEquals(text, Files.readString(Path.of(m.blobPath()), StandardCharsets.UTF_8), "no trace fields");
        assertEquals(Set.of("\\Draft", "\\Seen"), m.flags());
        assertEquals(date, m.internalDate());
        assertEquals("appended", m.envelope().subject());
        assertEquals(text.length(), m.size());
        AppendResult now = append(s, "Drafts", "Subject: now\r\n\r\nx\r\n", Set.of(), null);
        Instant internal = tx(em -> access(em).fetch(s, now.mailboxId(), new long[] {now.uid()}, false)).get(0)
                .internalDate();
        assertTrue(Math.abs(internal.getEpochSecond() - Instant.now().getEpochSecond()) < 60);
        assertKind(Kind.NONEXISTENT, () -> append(s, "Nowhere", "Subject: x\r\n\r\nx\r\n", Set.of(), null));
        assertKind(Kind.INVALID, () -> append(s, "Drafts", "Subject: x\r\n\r\nx\r\n", Set.of("\\Recent"), null));
    }

    @Test
    void quotaRefusesAppendAndCopyWithoutSideEffects() throws Exception {
        tx(em -> directory(em).createAccount("sue@" + domain, "long-enough", 300L, false));
        SessionInfo s = session("sue");
        AppendResult first = append(s, "INBOX", "Subject: fits\r\n\r\n" + "a".repeat(150) + "\r\n", Set.of(), null);
        long used = quota(s).usedBytes();
        assertEquals(300, quota(s).limitBytes());
        assertEquals(1, quota(s).messages());
        assertKind(Kind.OVER_QUOTA, () -> append(s, "INBOX", "Subject: too big\r\n\r\n" + "b".repeat(200) + "\r\n",
                Set.of(), null));
        assertKind(Kind.OVER_QUOTA, () -> tx(em -> access(em).copy(s, first.mailboxId(), new long[] {1}, "Archive",
                false)));
        assertEquals(used, quota(s).usedBytes());
        assertEquals(0, tx(em -> access(em).status(s, "Archive")).messages());
        assertEquals(1, tx(em -> access(em).status(s, "Archive")).uidNext(), "no UID consumed");
        CopyResult moved = tx(em -> access(em).copy(s, first.mailboxId(), new long[] {1}, "Archive", true));
        assertEquals(1, moved.targetUids().length, "a move needs no extra room");
    }

    // ---- MULTIAPPEND (RFC 3502) ----

    @Test
    void appendAllStoresEveryMessageWithConsecutiveUidsAndOwnFlags() throws Exception {
        account("mia");
        SessionInfo s = session("mia");
        append(s, "INBOX", "Subject: before\r\n\r\nx\r\n", Set.of(), null); // uid 1
        Instant date = Instant.parse("2026-02-01T08:00:00Z");
        long usedBefore = quota(s).usedBytes();
        List<AppendResult> results = appendAll(s, "INBOX", List.of(
                new Msg("Subject: one\r\n\r\n1\r\n", Set.of("\\Seen"), date),
                new Msg("Subject: two\r\n\r\n22\r\n", Set.of(), null),
                new Msg("Subject: three\r\n\r\n333\r\n", Set.of("\\Flagged", "Work"), null)));
        assertEquals(List.of(2L, 3L, 4L), results.stream().map(AppendResult::uid).toList());
        assertEquals(1, results.stream().map(AppendResult::uidValidity).distinct().count());
        List<MessageData> data = tx(em -> access(em).fetch(s, results.get(0).mailboxId(), new long[] {2, 3, 4},
                true));
        assertEquals(List.of("one", "two", "three"), data.stream().map(m -> m.envelope().subject()).toList());
        assertTrue(data.get(0).flags().contains("\\Seen"), data.get(0).flags().toString());
        assertEquals(date, data.get(0).internalDate());
        assertTrue(data.get(2).flags().contains("Work"), data.get(2).flags().toString());
        assertEquals(4, quota(s).messages());
        assertTrue(quota(s).usedBytes() > usedBefore);
    }

    @Test
    void appendAllStoresNothingWhenTheSetDoesNotFitTheQuota() throws Exception {
        tx(em -> directory(em).createAccount("ned@" + domain, "long-enough", 400L, false));
        SessionInfo s = session("ned");
        append(s, "INBOX", "Subject: fits\r\n\r\n" + "a".repeat(100) + "\r\n", Set.of(), null); // uid 1
        long used = quota(s).usedBytes();
        // each fits alone, the first two fit together, the last one runs out of room
        assertKind(Kind.OVER_QUOTA, () -> appendAll(s, "INBOX", List.of(
                new Msg("Subject: 1\r\n\r\n" + "b".repeat(80) + "\r\n", Set.of(), null),
                new Msg("Subject: 2\r\n\r\n" + "c".repeat(80) + "\r\n", Set.of(), null),
                new Msg("Subject: 3\r\n\r\n" + "d".repeat(80) + "\r\n", Set.of(), null))));
        assertEquals(used, quota(s).usedBytes());
        assertEquals(1, quota(s).messages());
        assertEquals(2, tx(em -> access(em).status(s, "INBOX")).uidNext(), "no UID consumed");
        List<AppendResult> fitting = appendAll(s, "INBOX", List.of(
                new Msg("Subject: 1\r\n\r\n" + "b".repeat(80) + "\r\n", Set.of(), null),
                new Msg("Subject: 2\r\n\r\n" + "c".repeat(80) + "\r\n", Set.of(), null)));
        assertEquals(List.of(2L, 3L), fitting.stream().map(AppendResult::uid).toList());
    }

    @Test
    void appendAllRollsBackEarlierMessagesWhenALaterOneIsRefused() throws Exception {
        account("oli");
        SessionInfo s = session("oli");
        // the first two are written before the third is refused: the one transaction undoes them
        assertKind(Kind.INVALID, () -> appendAll(s, "INBOX", List.of(
                new Msg("Subject: 1\r\n\r\n1\r\n", Set.of(), null),
                new Msg("Subject: 2\r\n\r\n2\r\n", Set.of(), null),
                new Msg("Subject: 3\r\n\r\n3\r\n", Set.of("\\Recent"), null))));
        assertEquals(0, quota(s).messages());
        assertEquals(0, quota(s).usedBytes());
        assertEquals(1, tx(em -> access(em).status(s, "INBOX")).uidNext(), "no UID consumed");
        assertKind(Kind.NONEXISTENT, () -> appendAll(s, "Nowhere", List.of(
                new Msg("Subject: 1\r\n\r\n1\r\n", Set.of(), null))));
        assertKind(Kind.INVALID, () -> appendAll(s, "INBOX", List.of()));
    }

    // ---- tenant isolation ----

    @Test
    void anotherAccountCannotUseMyMailboxIdsOrSeeMyNames() throws Exception {
        account("tom");
        account("uma");
        SessionInfo tom = session("tom");
        SessionInfo uma = session("uma");
        tx(em -> access(em).createMailbox(tom, "Secret Plans", null));
        AppendResult secret = append(tom, "Secret Plans", "Subject: secret\r\n\r\nsecret\r\n", Set.of(), null);
        long id = secret.mailboxId();
        assertFalse(names(uma).contains("Secret Plans"));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).status(uma, "Secret Plans")));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).fetch(uma, id, new long[] {1}, true)));
        assertKind(Kind.NONEXISTENT, () -> store(uma, id, new long[] {1}, FlagOperation.ADD, Set.of("\\Deleted"),
                -1));
        assertKind(Kind.NONEXISTENT, () -> expunge(uma, id, null));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).search(uma, id, new SearchKey.All())));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).changesSince(uma, id, 0)));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).copy(uma, id, new long[] {1}, "INBOX", true)));
        tx(em -> access(em).createMailbox(uma, "Uma Only", null));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).copy(tom, id, new long[] {1}, "Uma Only", false)),
                "targets are resolved in the acting account");
        assertKind(Kind.NONEXISTENT, () -> append(uma, "Secret Plans", "Subject: x\r\n\r\nx\r\n", Set.of(), null));
        assertNotNull(tx(em -> access(em).status(uma, "INBOX")));
        assertEquals(1, tx(em -> access(em).status(tom, "Secret Plans")).messages(), "untouched");
        assertEquals(0, quota(uma).messages());
    }

    // ---- search ----

    @Test
    void searchEvaluatesEveryKindOfKey() throws Exception {
        account("vic");
        SessionInfo s = session("vic");
        append(s, "INBOX", MULTIPART, Set.of("\\Seen"), Instant.parse("2026-03-03T10:00:00Z"));        // 1
        append(s, "INBOX", "Subject: Lunch\r\nFrom: bob@example.org\r\nDate: 5 Mar 26 12:00 GMT\r\n"
                + "X-Ticket: ZZZ-9\r\n\r\nPizza today?\r\n", Set.of("\\Flagged", "Food"),
                Instant.parse("2026-03-05T12:00:00Z"));                                                   // 2
        append(s, "INBOX", "Subject: =?ISO-8859-1?Q?caf=E9?=\r\nTo: ann@example.com\r\nCc: carl@example.com\r\n"
                + "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n"
                + "\r\nCr=E8me br=FBl=E9e\r\n" + "y".repeat(500) + "\r\n", Set.of("\\Deleted"),
                Instant.parse("2026-03-07T23:30:00Z"));                                                   // 3
        long inbox = mailboxId(s, "INBOX");

        Map<String, SearchKey> cases = new java.util.LinkedHashMap<>();
        Map<String, long[]> expected = new HashMap<>();
        java.util.function.BiConsumer<SearchKey, long[]> expect = (k, uids) -> {
            cases.put(k.toString() + "#" + cases.size(), k);
            expected.put(k.toString() + "#" + (cases.size() - 1), uids);
        };
        expect.accept(new SearchKey.All(), new long[] {1, 2, 3});
        expect.accept(new SearchKey.Flag("\\Seen", true), new long[] {1});
        expect.accept(new SearchKey.Flag("\\seen", false), new long[] {2, 3});
        expect.accept(new SearchKey.Flag("food", true), new long[] {2});
        expect.accept(new SearchKey.Flag("Food", false), new long[] {1, 3});
        expect.accept(new SearchKey.Flag("\\Recent", true), new long[0]);
        expect.accept(new SearchKey.Uids(new long[][] {{2, 3}}), new long[] {2, 3});
        expect.accept(new SearchKey.Uids(new long[][] {{3, 1}, {9, 12}}), new long[] {1, 2, 3});
        expect.accept(new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.DateComparison.ON,
                LocalDate.of(2026, 3, 5)), new long[] {2});
        expect.accept(new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.DateComparison.BEFORE,
                LocalDate.of(2026, 3, 5)), new long[] {1});
        expect.accept(new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.DateComparison.SINCE,
                LocalDate.of(2026, 3, 5)), new long[] {2, 3});
        expect.accept(new SearchKey.Date(SearchKey.DateField.SENT, SearchKey.DateComparison.ON,
                LocalDate.of(2026, 3, 3)), new long[] {1});
        expect.accept(new SearchKey.Date(SearchKey.DateField.SENT, SearchKey.DateComparison.SINCE,
                LocalDate.of(2026, 3, 4)), new long[] {2, 3}); // 3 has no Date: its internal date counts
        expect.accept(new SearchKey.Date(SearchKey.DateField.SAVED, SearchKey.DateComparison.SINCE,
                LocalDate.of(2000, 1, 1)), new long[] {1, 2, 3});
        expect.accept(new SearchKey.Age(true, 3600), new long[] {1, 2, 3});
        expect.accept(new SearchKey.Age(false, 3600), new long[0]);
        expect.accept(new SearchKey.Size(true, 500), new long[] {1, 3});
        expect.accept(new SearchKey.Size(false, 500), new long[] {2});
        expect.accept(new SearchKey.ModSeq(3), new long[] {3});
        expect.accept(new SearchKey.Header("Subject", "grüße"), new long[] {1});
        expect.accept(new SearchKey.Header("subject", "CAFÉ"), new long[] {3});
        expect.accept(new SearchKey.Header("From", "jörg"), new long[] {1});
        expect.accept(new SearchKey.Header("FROM", "example.org"), new long[] {2});
        expect.accept(new SearchKey.Header("To", "ann@"), new long[] {3});
        expect.accept(new SearchKey.Header("Cc", "CARL"), new long[] {3});
        expect.accept(new SearchKey.Header("Bcc", ""), new long[0]);
        expect.accept(new SearchKey.Header("X-Ticket", "abc"), new long[] {1});
        expect.accept(new SearchKey.Header("x-ticket", ""), new long[] {1, 2});
        expect.accept(new SearchKey.Text(true, "FÜNF einheiten"), new long[] {1});
        expect.accept(new SearchKey.Text(true, "pineapple"), new long[] {1});
        expect.accept(new SearchKey.Text(true, "inner text"), new long[] {1});
        expect.accept(new SearchKey.Text(true, "crème brûlée"), new long[] {3});
        expect.accept(new SearchKey.Text(true, "pizza"), new long[] {2});
        expect.accept(new SearchKey.Text(true, "Lunch"), new long[0]);
        expect.accept(new SearchKey.Text(false, "Lunch"), new long[] {2});
        expect.accept(new SearchKey.Text(false, "ZZZ-9"), new long[] {2});
        expect.accept(new SearchKey.And(List.of(new SearchKey.Flag("\\Seen", false),
                new SearchKey.Text(true, "e"))), new long[] {3}); // "Pizza today?" has no e
        expect.accept(new SearchKey.Or(new SearchKey.Flag("\\Deleted", true), new SearchKey.Header("Subject",
                "lunch")), new long[] {2, 3});
        expect.accept(new SearchKey.Not(new SearchKey.Or(new SearchKey.Flag("\\Deleted", true),
                new SearchKey.Text(true, "pizza"))), new long[] {1});
        expect.accept(new SearchKey.Not(new SearchKey.Uids(new long[][] {{1, 2}})), new long[] {3});
        expect.accept(new SearchKey.And(List.of(new SearchKey.Size(true, 100), new SearchKey.Not(
                new SearchKey.Flag("\\Seen", true)), new SearchKey.Header("subject", "café"))), new long[] {3});
        for (Map.Entry<String, SearchKey> c : cases.entrySet()) {
            long[] got = tx(em -> access(em).search(s, inbox, c.getValue()));
            assertArrayEquals(expected.get(c.getKey()), got, c.getKey() + " gave " + Arrays.toString(got));
        }
        String emailId = tx(em -> access(em).fetch(s, inbox, new long[] {2}, false)).get(0).emailId();
        assertArrayEquals(new long[] {2}, tx(em -> access(em).search(s, inbox, new SearchKey.ObjectId(false,
                emailId))));
        assertArrayEquals(new long[0], tx(em -> access(em).search(s, inbox, new SearchKey.ObjectId(true,
                emailId))));
    }

    @Test
    void searchWithManyUidRangesFallsBackToJava() throws Exception {
        account("wes");
        SessionInfo s = session("wes");
        for (int i = 0; i < 10; i++) {
            append(s, "INBOX", "Subject: " + i + "\r\n\r\nx\r\n", Set.of(), null);
        }
        long inbox = mailboxId(s, "INBOX");
        long[][] ranges = new long[200][];
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = new long[] {i * 2 + 1, i * 2 + 1};
        }
        assertArrayEquals(new long[] {1, 3, 5, 7, 9},
                tx(em -> access(em).search(s, inbox, new SearchKey.Uids(ranges))));
    }

    // ---- concurrency ----

    @Test
    void concurrentAppendsCopiesAndDeliveriesNeverReuseUidsOrModseqs() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(supportsConcurrentWriters());
        account("xia");
        SessionInfo s = session("xia");
        AppendResult seed = append(s, "Archive", "Subject: seed\r\n\r\nseed\r\n", Set.of(), null);
        int perThread = 8;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Long>>> futures = new ArrayList<>();
        futures.add(pool.submit(() -> {
            start.await();
            List<Long> uids = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                uids.add(append(s, "INBOX", "Subject: a" + i + "\r\n\r\nx\r\n", Set.of(), null).uid());
            }
            return uids;
        }));
        futures.add(pool.submit(() -> {
            start.await();
            List<Long> uids = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                uids.add(deliver("xia", "Subject: d" + i + "\r\n\r\nx\r\n"));
            }
            return uids;
        }));
        futures.add(pool.submit(() -> {
            start.await();
            List<Long> uids = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                uids.add(tx(em -> access(em).copy(s, seed.mailboxId(), new long[] {1}, "INBOX", false))
                        .targetUids()[0]);
            }
            return uids;
        }));
        start.countDown();
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        Collections.sort(all);
        assertEquals(LongStream.rangeClosed(1, 3L * perThread).boxed().toList(), all);
        long inbox = mailboxId(s, "INBOX");
        List<Long> modseqs = tx(em -> access(em).fetch(s, inbox, LongStream.rangeClosed(1, 3L * perThread)
                .toArray(), false)).stream().map(MessageData::modseq).sorted().toList();
        assertEquals(LongStream.rangeClosed(1, 3L * perThread).boxed().toList(), modseqs);
    }

    // ---- helpers ----

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
        return new SessionInfo("s-" + local, "IMAP", "127.0.0.1", 40000, null, "127.0.0.1", 143, "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", local + "@" + domain);
    }

    private String authenticate(String authzid, String authcid, String password) throws MailAccessException {
        return tx(em -> MailboxManager.authenticate(directory(em), authzid, authcid, password));
    }

    private List<String> names(SessionInfo s) throws MailAccessException {
        return tx(em -> access(em).listMailboxes(s)).stream().map(MailboxInfo::name).sorted().toList();
    }

    private MailboxInfo info(SessionInfo s, String name) throws MailAccessException {
        return tx(em -> access(em).listMailboxes(s)).stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private long mailboxId(SessionInfo s, String name) throws MailAccessException {
        return tx(em -> access(em).status(s, name)).id();
    }

    private QuotaUsage quota(SessionInfo s) throws MailAccessException {
        return tx(em -> access(em).quota(s));
    }

    private StoreResult store(SessionInfo s, long mailbox, long[] uids, FlagOperation op, Set<String> flags,
                              long unchangedSince) throws MailAccessException {
        return tx(em -> access(em).store(s, mailbox, uids, op, flags, unchangedSince));
    }

    private long[] expunge(SessionInfo s, long mailbox, long[] uids) throws MailAccessException {
        return tx(em -> access(em).expunge(s, mailbox, uids));
    }

    private Path spool(String message) throws Exception {
        Path file = Files.createTempFile(spoolDir, "append-", ".eml");
        Files.writeString(file, message, StandardCharsets.UTF_8);
        return file;
    }

    private AppendResult append(SessionInfo s, String mailbox, String message, Set<String> flags, Instant date)
            throws Exception {
        Path file = spool(message);
        try {
            return tx(em -> access(em).append(s, mailbox, file, Files.size(file), flags, date));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** One message of a MULTIAPPEND. */
    private record Msg(String text, Set<String> flags, Instant date) {
    }

    private List<AppendResult> appendAll(SessionInfo s, String mailbox, List<Msg> messages) throws Exception {
        List<Path> files = new ArrayList<>();
        try {
            List<AppendRequest> requests = new ArrayList<>();
            for (Msg m : messages) {
                Path file = spool(m.text());
                files.add(file);
                requests.add(new AppendRequest(file, Files.size(file), m.flags(), m.date()));
            }
            return tx(em -> access(em).appendAll(s, mailbox, requests));
        } finally {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private String blobIdOf(SessionInfo s, AppendResult appended) throws MailAccessException {
        return tx(em -> access(em).fetch(s, appended.mailboxId(), new long[] {appended.uid()}, false)).get(0)
                .emailId().substring(1);
    }

    private long deliver(String local, String message) throws Exception {
        return deliverStored(local, new MessageIngest(blobs).store(new ByteArrayInputStream(
                message.getBytes(StandardCharsets.UTF_8))));
    }

    private long deliverStored(String local, StoredMessage message) throws MailAccessException {
        List<Recipient> rcpts = List.of(new Recipient(local + "@" + domain, null, null));
        Envelope envelope = new Envelope("sender@remote.example", rcpts, "7BIT", false, null, null, -1);
        return tx(em -> new LocalDelivery(new DirectoryRepository(em), new MailboxRepository(em))
                .deliver(rcpts, envelope, false, message, Instant.now())).get(0).uid();
    }

    private long refCount(String blobId) throws MailAccessException {
        return tx(em -> em.find(BlobEntity.class, blobId).getRefCount());
    }

    private static String bytesAt(String path, long offset, long length) throws Exception {
        try (RandomAccessFile file = new RandomAccessFile(path, "r")) {
            byte[] bytes = new byte[(int) length];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** A call expected to fail. */
    @FunctionalInterface
    private interface Action {
        Object run() throws Exception;
    }

    private static void assertKind(Kind kind, Action action) {
        assertKind(kind, action, null);
    }

    private static void assertKind(Kind kind, Action action, String message) {
        MailAccessException e = assertThrows(MailAccessException.class, action::run, message);
        assertEquals(kind, e.kind(), (message == null ? "" : message + ": ") + e.getMessage());
    }

    /** Work in one transaction; may throw the contract's checked exception. */
    @FunctionalInterface
    protected interface Work<T> {
        T run(EntityManager em) throws Exception;
    }

    /** Runs the work in a resource-local transaction, rolling back when it throws (as the EJB shell does). */
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
