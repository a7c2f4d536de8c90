package org.merpati.ejb.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.access.AclEntry;
import org.merpati.connector.api.access.AppendResult;
import org.merpati.connector.api.access.CopyResult;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailAccessException.Kind;
import org.merpati.connector.api.access.MailboxChangeBus;
import org.merpati.connector.api.access.MailboxInfo;
import org.merpati.connector.api.access.MailboxSnapshot;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.RightsList;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.connector.api.access.StoreResult;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.SchemaMigration;
import org.merpati.ejb.service.ChangeNotifier;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.MailboxManager;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.storage.blob.BlobStore;

/**
 * Folder sharing (IMAP ACL, RFC 4314; the "Other Users" namespace, RFC 2342) on every backend: grants and
 * revocations for users, groups and {@code anyone}, the right each operation needs, invisible mailboxes that
 * look exactly like missing ones, and names and ids that try to reach what they should not. Run on H2 and
 * PostgreSQL by the subclasses; one domain per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MailboxAclContractTest {

    private static final AtomicInteger DOMAINS = new AtomicInteger();
    private static final String MESSAGE = "Subject: shared\r\nFrom: a@example.com\r\n\r\nhello\r\n";

    private EntityManagerFactory emf;
    private final MerpatiConfig config = MerpatiConfig.of(Map.of("MERPATI_PRIMARY_DOMAIN", "primary.test",
            "MERPATI_HOSTNAME", "mx.test"));
    private final PasswordHasher hasher = new PasswordHasher(1_000);
    private String domain;
    private BlobStore blobs;
    private Path spoolDir;
    private SessionInfo alice;
    private SessionInfo bob;

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
        emf = Persistence.createEntityManagerFactory("merpati", properties);
    }

    @AfterAll
    void close() {
        if (emf != null) {
            emf.close();
        }
    }

    /** Every test: alice owns "Projects" with one message; bob is another user of the same domain. */
    @BeforeEach
    void newDomain(@TempDir Path temp) throws Exception {
        domain = "s" + DOMAINS.incrementAndGet() + ".example";
        blobs = new BlobStore(temp.resolve("blobs"));
        spoolDir = Files.createDirectories(temp.resolve("spool"));
        tx(em -> directory(em).createDomain(domain));
        account("alice");
        account("bob");
        alice = session("alice");
        bob = session("bob");
        tx(em -> access(em).createMailbox(alice, "Projects", null));
        append(alice, "Projects", MESSAGE, Set.of());
    }

    // ---- grant, revoke, namespaces ----

    @Test
    void grantShowsTheMailboxUnderOtherUsersAndRevokeHidesItAgain() throws Exception {
        assertFalse(names(bob).stream().anyMatch(n -> n.startsWith("Other Users")), "nothing shared yet");
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lr");

        String shared = shared("alice", "Projects");
        MailboxInfo info = tx(em -> access(em).listMailboxes(bob)).stream()
                .filter(m -> m.name().equals(shared)).findFirst().orElseThrow();
        assertNull(info.specialUse());
        assertEquals(id(alice, "Projects"), info.id(), "the same mailbox, under the sharee's name for it");
        assertEquals(shared, tx(em -> access(em).status(bob, shared)).name());
        assertEquals(1, tx(em -> access(em).status(bob, shared)).messages());
        assertEquals("lr", myRights(bob, shared));
        assertEquals("lrswipkxteacd", myRights(alice, "Projects"), "the owner has every right (and c, d)");
        assertEquals(List.of(new AclEntry(addr("alice"), "lrswipkxteacd"), new AclEntry(addr("bob"), "lr")),
                tx(em -> access(em).getAcl(alice, "Projects")));

        setAcl(alice, "Projects", addr("bob"), FlagOperation.ADD, "sd");
        assertEquals("lrsted", myRights(bob, shared), "d expands to e and t; output adds d back");
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REMOVE, "d");
        assertEquals("lrs", myRights(bob, shared));

        tx(em -> {
            access(em).deleteAcl(alice, "Projects", addr("bob"));
            return null;
        });
        assertFalse(names(bob).contains(shared));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).status(bob, shared)));
        long projects = id(alice, "Projects");
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).fetch(bob, projects, new long[] {1}, false)));
    }

    @Test
    void readOnlyUnlessTheUserMayInsertExpungeOrChangeFlags() throws Exception {
        String shared = shared("alice", "Projects");
        Map<String, Boolean> readOnlyByRights = Map.of("lr", true, "lrp", true, "lrk", true, "lrs", false,
                "lrw", false, "lrt", false, "lri", false, "lre", false);
        for (Map.Entry<String, Boolean> e : readOnlyByRights.entrySet()) {
            setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, e.getKey());
            MailboxSnapshot snapshot = tx(em -> access(em).select(bob, shared, false));
            assertEquals(e.getValue(), snapshot.readOnly(), e.getKey());
            assertEquals(shared, snapshot.status().name());
        }
        assertFalse(tx(em -> access(em).select(alice, "Projects", false)).readOnly());
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "l");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).select(bob, shared, true)), "visible, not readable");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).status(bob, shared)));
    }

    // ---- the right each operation needs ----

    @Test
    void flagRightsAreCheckedPerFlagAndMissingOnesAreLeftAlone() throws Exception {
        String shared = shared("alice", "Projects");
        long box = id(alice, "Projects");
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lrs");
        assertEquals(Set.of("\\Seen"), store(bob, box, FlagOperation.ADD, "\\Seen").changed().get(0).flags());
        assertKind(Kind.NO_PERMISSION, () -> store(bob, box, FlagOperation.ADD, "\\Flagged"), "no w");
        assertKind(Kind.NO_PERMISSION, () -> store(bob, box, FlagOperation.ADD, "\\Deleted"), "no t");
        StoreResult mixed = store(bob, box, FlagOperation.ADD, "\\Flagged", "\\Seen", "Work");
        assertTrue(mixed.changed().isEmpty(), "only \\Seen could change and it was set already");
        store(bob, box, FlagOperation.REPLACE); // FLAGS (): clears only what bob may clear
        assertEquals(Set.of(), flags(alice, box));
        store(alice, box, FlagOperation.ADD, "\\Flagged", "Work");
        store(bob, box, FlagOperation.REPLACE, "\\Seen");
        assertEquals(Set.of("\\Seen", "\\Flagged", "Work"), flags(alice, box), "w-flags kept, \\Seen set");

        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lrwt");
        store(bob, box, FlagOperation.REMOVE, "\\Flagged", "Work", "\\Seen");
        store(bob, box, FlagOperation.ADD, "\\Deleted");
        assertEquals(Set.of("\\Seen", "\\Deleted"), flags(alice, box), "\\Seen kept without s");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).expunge(bob, box, null)), "no e");
        setAcl(alice, "Projects", addr("bob"), FlagOperation.ADD, "e");
        assertArrayEquals(new long[] {1}, tx(em -> access(em).expunge(bob, box, null)));
        assertEquals(0, tx(em -> access(em).status(alice, "Projects")).messages());
        assertEquals(0, quota(alice), "the owner's usage is released");
        assertEquals(shared, tx(em -> access(em).status(bob, shared)).name());
    }

    @Test
    void insertRightForAppendAndCopyIntoWithFlagsFilteredAndTheOwnersQuota() throws Exception {
        String shared = shared("alice", "Projects");
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lr");
        assertKind(Kind.NO_PERMISSION, () -> append(bob, shared, MESSAGE, Set.of()));
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lris");
        long aliceBefore = quota(alice);
        long bobBefore = quota(bob);
        AppendResult appended = append(bob, shared, MESSAGE, Set.of("\\Seen", "\\Flagged", "\\Deleted", "Tag"));
        assertEquals(id(alice, "Projects"), appended.mailboxId());
        assertEquals(Set.of("\\Seen"), flags(alice, appended.mailboxId(), appended.uid()), "only what s allows");
        assertTrue(quota(alice) > aliceBefore, "stored in and counted for the owner");
        assertEquals(bobBefore, quota(bob));

        AppendResult own = append(bob, "INBOX", MESSAGE, Set.of("\\Flagged", "\\Seen"));
        CopyResult copied = tx(em -> access(em).copy(bob, own.mailboxId(), new long[] {own.uid()}, shared, false));
        assertEquals(appended.mailboxId(), copied.targetMailboxId());
        assertEquals(Set.of("\\Seen"), flags(alice, copied.targetMailboxId(), copied.targetUids()[0]));
    }

    @Test
    void moveOutOfASharedMailboxNeedsDeleteAndExpungeRightsAndMovesTheUsage() throws Exception {
        String shared = shared("alice", "Projects");
        long box = id(alice, "Projects");
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lr");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).copy(bob, box, new long[] {1}, "INBOX", true)));
        CopyResult copy = tx(em -> access(em).copy(bob, box, new long[] {1}, "INBOX", false));
        assertEquals(1, copy.targetUids().length, "r is enough to copy out");
        long alice0 = quota(alice);
        long bob0 = quota(bob);
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lrte");
        tx(em -> access(em).copy(bob, box, new long[] {1}, "INBOX", true));
        assertEquals(0, tx(em -> access(em).status(alice, "Projects")).messages());
        assertTrue(quota(alice) < alice0);
        assertEquals(bob0 + (alice0 - quota(alice)), quota(bob), "usage moves with the message");
        assertEquals(shared, tx(em -> access(em).status(bob, shared)).name());
    }

    @Test
    void createDeleteAndRenameNeedKAndX() throws Exception {
        String shared = shared("alice", "Projects");
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lr");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).createMailbox(bob, shared + "/Sub", null)));
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lrk");
        MailboxInfo created = tx(em -> access(em).createMailbox(bob, shared + "/Sub/Deeper", null));
        assertEquals(shared + "/Sub/Deeper", created.name());
        assertTrue(names(alice).containsAll(List.of("Projects/Sub", "Projects/Sub/Deeper")), "created for alice");
        assertTrue(names(bob).contains(shared + "/Sub/Deeper"), "the ACL is inherited from the parent");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).createMailbox(bob, shared("alice", "Top"), null)),
                "no parent to hold k on");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> {
            access(em).deleteMailbox(bob, shared + "/Sub/Deeper");
            return null;
        }));
        setAcl(alice, "Projects/Sub/Deeper", addr("bob"), FlagOperation.ADD, "x");
        tx(em -> {
            access(em).renameMailbox(bob, shared + "/Sub/Deeper", shared + "/Renamed");
            return null;
        });
        assertTrue(names(alice).contains("Projects/Renamed"), "renamed inside alice's tree");
        assertKind(Kind.CANNOT, () -> tx(em -> {
            access(em).renameMailbox(bob, shared + "/Renamed", "Mine");
            return null;
        }), "a mailbox does not change owner");
        tx(em -> {
            access(em).deleteMailbox(bob, shared + "/Renamed");
            return null;
        });
        assertFalse(names(alice).contains("Projects/Renamed"));
    }

    @Test
    void administerRightForAclCommandsAndTheOwnerCannotBeChanged() throws Exception {
        String shared = shared("alice", "Projects");
        account("carol");
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lr");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).getAcl(bob, shared)));
        assertKind(Kind.NO_PERMISSION, () -> setAcl(bob, shared, addr("carol"), FlagOperation.REPLACE, "lr"));
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).listRights(bob, shared, addr("carol"))));
        setAcl(alice, "Projects", addr("bob"), FlagOperation.ADD, "a");
        setAcl(bob, shared, "Carol@" + domain.toUpperCase(), FlagOperation.REPLACE, "lrc");
        assertEquals("lrkxc", myRights(session("carol"), shared));
        assertEquals(List.of(new AclEntry(addr("alice"), "lrswipkxteacd"), new AclEntry(addr("bob"), "lra"),
                new AclEntry(addr("carol"), "lrkxc")), tx(em -> access(em).getAcl(bob, shared)));
        RightsList forCarol = tx(em -> access(em).listRights(bob, shared, addr("carol")));
        assertEquals("", forCarol.required());
        assertEquals(List.of("l", "r", "s", "w", "i", "p", "k", "x", "t", "e", "a", "c", "d"), forCarol.optional());
        assertEquals(new RightsList("lrswipkxteacd", List.of()),
                tx(em -> access(em).listRights(bob, shared, addr("alice"))));
        assertKind(Kind.CANNOT, () -> setAcl(bob, shared, addr("alice"), FlagOperation.REPLACE, "l"));
        assertKind(Kind.INVALID, () -> setAcl(alice, "Projects", addr("carol"), FlagOperation.REPLACE, "lrq"));
        assertKind(Kind.INVALID, () -> setAcl(alice, "Projects", "nobody@" + domain, FlagOperation.REPLACE, "l"));
        assertKind(Kind.INVALID, () -> setAcl(alice, "Projects", "not an address", FlagOperation.REPLACE, "l"));
    }

    // ---- groups, anyone, negative rights ----

    @Test
    void groupsNestedGroupsAnyoneAndNegativeRights() throws Exception {
        account("carol");
        account("dave");
        tx(em -> {
            DirectoryManager d = directory(em);
            d.createGroup(addr("team"));
            d.createGroup(addr("core"));
            d.addGroupMember(addr("team"), addr("core"));   // nested
            d.addGroupMember(addr("core"), addr("carol"));
            d.addAlias(addr("bobby"), addr("bob"));
            d.addGroupMember(addr("team"), addr("bobby"));  // bob through his alias
            return null;
        });
        String shared = shared("alice", "Projects");
        setAcl(alice, "Projects", addr("team"), FlagOperation.REPLACE, "lrs");
        assertEquals("lrs", myRights(session("carol"), shared), "nested group member");
        assertEquals("lrs", myRights(bob, shared), "member through an alias");
        assertKind(Kind.NONEXISTENT, () -> myRights(session("dave"), shared), "not a member");

        setAcl(alice, "Projects", "anyone", FlagOperation.REPLACE, "l");
        assertEquals("l", myRights(session("dave"), shared));
        assertTrue(names(session("dave")).contains(shared));

        setAcl(alice, "Projects", "-" + addr("carol"), FlagOperation.REPLACE, "rs");
        assertEquals("l", myRights(session("carol"), shared), "negative rights take away what groups give");
        assertEquals("lrs", myRights(bob, shared));
        assertEquals(List.of("-" + addr("carol"), addr("alice"), "anyone", addr("team")),
                tx(em -> access(em).getAcl(alice, "Projects")).stream().map(AclEntry::identifier).sorted().toList());
        setAcl(alice, "Projects", "-anyone", FlagOperation.REPLACE, "l");
        assertFalse(names(bob).contains(shared), "-anyone l hides it from everyone");
    }

    @Test
    void anotherDomainGetsNothingEvenFromAnyone() throws Exception {
        String other = "o" + DOMAINS.incrementAndGet() + ".example";
        tx(em -> directory(em).createDomain(other));
        tx(em -> directory(em).createAccount("eve@" + other, "long-enough", null, false));
        SessionInfo eve = new SessionInfo("s-eve", "IMAP", "127.0.0.1", 1, null, "127.0.0.1", 143, null, null,
                "eve@" + other);
        setAcl(alice, "Projects", "anyone", FlagOperation.REPLACE, "lrswi");
        assertKind(Kind.INVALID, () -> setAcl(alice, "Projects", "eve@" + other, FlagOperation.REPLACE, "lr"),
                "identifiers outside the owner's domain are refused");
        assertFalse(names(eve).stream().anyMatch(n -> n.startsWith("Other Users")));
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).status(eve, shared("alice", "Projects"))));
        long box = id(alice, "Projects");
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).fetch(eve, box, new long[] {1}, false)));
    }

    // ---- nothing leaks ----

    @Test
    void anInvisibleMailboxIsIndistinguishableFromAMissingOne() throws Exception {
        tx(em -> access(em).createMailbox(alice, "Secret", null));
        AppendResult secret = append(alice, "Secret", MESSAGE, Set.of());
        // bob holds rights elsewhere (so alice's account is "known" to him) and only p/a-less rights here
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lr");
        setAcl(alice, "Secret", addr("bob"), FlagOperation.REPLACE, "p");
        String invisible = shared("alice", "Secret");
        String missing = shared("alice", "Missing");
        assertFalse(names(bob).contains(invisible));
        List<NamedCall> calls = List.of(
                name -> tx(em -> access(em).status(bob, name)),
                name -> tx(em -> access(em).select(bob, name, true)),
                name -> tx(em -> {
                    access(em).deleteMailbox(bob, name);
                    return null;
                }),
                name -> tx(em -> {
                    access(em).setSubscribed(bob, name, true);
                    return null;
                }),
                name -> tx(em -> {
                    access(em).setSubscribed(bob, name, false);
                    return null;
                }),
                name -> tx(em -> {
                    access(em).renameMailbox(bob, name, name + "2");
                    return null;
                }),
                name -> append(bob, name, MESSAGE, Set.of()),
                name -> tx(em -> access(em).getAcl(bob, name)),
                name -> setAcl(bob, name, addr("bob"), FlagOperation.ADD, "lr"),
                name -> tx(em -> {
                    access(em).deleteAcl(bob, name, addr("bob"));
                    return null;
                }),
                name -> tx(em -> access(em).listRights(bob, name, addr("bob"))),
                name -> myRights(bob, name),
                name -> tx(em -> access(em).copy(bob, id(bob, "INBOX"), new long[] {1}, name, false)));
        append(bob, "INBOX", MESSAGE, Set.of());
        for (NamedCall call : calls) {
            MailAccessException a = assertThrows(MailAccessException.class, () -> call.run(invisible));
            MailAccessException b = assertThrows(MailAccessException.class, () -> call.run(missing));
            assertEquals(Kind.NONEXISTENT, a.kind(), a.getMessage());
            assertEquals(b.getMessage().replace("Missing", "Secret"), a.getMessage(), "same words");
        }
        long box = secret.mailboxId();
        long nowhere = box + 1_000_000;
        List<IdCall> byId = List.of(
                id -> tx(em -> access(em).fetch(bob, id, new long[] {1}, true)),
                id -> store(bob, id, FlagOperation.ADD, "\\Seen"),
                id -> tx(em -> access(em).expunge(bob, id, null)),
                id -> tx(em -> access(em).search(bob, id, new SearchKey.All())),
                id -> tx(em -> access(em).changesSince(bob, id, 0)),
                id -> tx(em -> access(em).copy(bob, id, new long[] {1}, "INBOX", true)));
        for (IdCall call : byId) {
            MailAccessException a = assertThrows(MailAccessException.class, () -> call.run(box));
            MailAccessException b = assertThrows(MailAccessException.class, () -> call.run(nowhere));
            assertEquals(Kind.NONEXISTENT, a.kind(), a.getMessage());
            assertEquals(b.getMessage(), a.getMessage(), "same words for a forged id");
        }
        assertEquals(1, tx(em -> access(em).status(alice, "Secret")).messages(), "untouched");
    }

    @Test
    void pathCaseAndWildcardTricksReachNothing() throws Exception {
        account("mallory");
        SessionInfo mallory = session("mallory");
        setAcl(alice, "Projects", addr("mallory"), FlagOperation.REPLACE, "lrk");
        tx(em -> access(em).createMailbox(bob, "Private", null));
        append(bob, "Private", MESSAGE, Set.of());
        String base = "Other Users/" + addr("alice") + "/";
        for (String name : List.of(base + "../" + addr("bob") + "/Private", base + "Projects/../INBOX",
                "Other Users/" + addr("bob") + "/Private", "Other Users/" + addr("bob") + "/INBOX",
                "Other Users/" + addr("alice") + "/inbox", "other users/" + addr("alice") + "/Projects",
                "Other Users/ALICE@" + domain + "/projects", "Other Users", "Other Users/" + addr("alice"),
                "Other Users/" + addr("mallory") + "/INBOX", "Other Users/nobody@" + domain + "/INBOX",
                "Other Users/" + addr("alice") + "@evil/Projects")) {
            assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).status(mallory, name)), name);
            assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).select(mallory, name, false)), name);
        }
        assertEquals(shared("alice", "Projects"),
                tx(em -> access(em).status(mallory, "Other Users/ALICE@" + domain.toUpperCase() + "/Projects")).name(),
                "addresses are case-insensitive, names are not");
        for (String name : List.of(base + "Pro*", base + "%", "Other Users/*/INBOX", "Other Users/%/Projects")) {
            assertKind(Kind.INVALID, () -> tx(em -> access(em).status(mallory, name)), name);
        }
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).createMailbox(mallory, "Other Users/x", null)),
                "the namespace is not a personal name");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).createMailbox(mallory,
                "Other Users/" + addr("bob") + "/Private/Sub", null)), "k on alice's mailbox gives nothing at bob's");
        assertKind(Kind.CANNOT, () -> tx(em -> {
            access(em).renameMailbox(mallory, "INBOX", shared("alice", "Projects") + "/Mine");
            return null;
        }));
        assertEquals(1, tx(em -> access(em).status(bob, "Private")).messages(), "untouched");
        assertFalse(names(bob).contains("Private/Sub"));
    }

    // ---- subscriptions, change notification, account deletion ----

    @Test
    void subscriptionsOfSharedMailboxesArePerUser() throws Exception {
        String shared = shared("alice", "Projects");
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lr");
        assertFalse(info(bob, shared).subscribed());
        tx(em -> {
            access(em).setSubscribed(bob, shared, true);
            return null;
        });
        assertTrue(info(bob, shared).subscribed());
        assertFalse(info(alice, "Projects").subscribed(), "the owner's subscription is her own");
        tx(em -> {
            access(em).setSubscribed(bob, shared, false);
            return null;
        });
        assertFalse(info(bob, shared).subscribed());
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "r");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> {
            access(em).setSubscribed(bob, shared, true);
            return null;
        }), "SUBSCRIBE needs l");
    }

    @Test
    void changesInASharedMailboxArePublishedWithItsId() throws Exception {
        String shared = shared("alice", "Projects");
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lrsi");
        long box = tx(em -> access(em).select(bob, shared, false)).status().id();
        List<Long> heard = new CopyOnWriteArrayList<>();
        LongConsumer listener = heard::add;
        MailboxChangeBus.subscribe(box, listener);
        try {
            append(alice, "Projects", MESSAGE, Set.of());           // the owner writes, the sharee hears
            store(bob, box, FlagOperation.ADD, "\\Seen");             // and the other way round
        } finally {
            MailboxChangeBus.unsubscribe(box, listener);
        }
        assertEquals(2, heard.size(), heard.toString());
        assertEquals(2, tx(em -> access(em).changesSince(bob, box, 0)).changed().size());
        assertEquals(Set.of("\\Seen"), flags(alice, box), "\\Seen is shared: everyone sees the same flags");
    }

    @Test
    void deletingAnAccountForgetsItsEntries() throws Exception {
        setAcl(alice, "Projects", addr("bob"), FlagOperation.REPLACE, "lr");
        setAcl(alice, "Projects", "-" + addr("bob"), FlagOperation.REPLACE, "w");
        tx(em -> {
            directory(em).deleteAccount(addr("bob"));
            return null;
        });
        assertEquals(List.of(addr("alice")), tx(em -> access(em).getAcl(alice, "Projects")).stream()
                .map(AclEntry::identifier).toList());
        account("bob");
        assertFalse(names(bob).contains(shared("alice", "Projects")), "a new bob inherits nothing");
    }

    // ---- helpers ----

    @FunctionalInterface
    private interface NamedCall {
        Object run(String name) throws Exception;
    }

    @FunctionalInterface
    private interface IdCall {
        Object run(long id) throws Exception;
    }

    private String addr(String local) {
        return local + "@" + domain;
    }

    private String shared(String owner, String name) {
        return "Other Users/" + addr(owner) + "/" + name;
    }

    private DirectoryManager directory(EntityManager em) {
        return new DirectoryManager(em, hasher, config);
    }

    private MailboxManager access(EntityManager em) {
        return new MailboxManager(em, blobs, ChangeNotifier.immediate());
    }

    private void account(String local) throws MailAccessException {
        tx(em -> directory(em).createAccount(addr(local), "long-enough", null, false));
    }

    private SessionInfo session(String local) {
        return new SessionInfo("s-" + local, "IMAP", "127.0.0.1", 40000, null, "127.0.0.1", 143, "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", addr(local));
    }

    private List<String> names(SessionInfo s) throws MailAccessException {
        return tx(em -> access(em).listMailboxes(s)).stream().map(MailboxInfo::name).sorted().toList();
    }

    private MailboxInfo info(SessionInfo s, String name) throws MailAccessException {
        return tx(em -> access(em).listMailboxes(s)).stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private long id(SessionInfo s, String name) throws MailAccessException {
        return tx(em -> access(em).status(s, name)).id();
    }

    private long quota(SessionInfo s) throws MailAccessException {
        return tx(em -> access(em).quota(s)).usedBytes();
    }

    private String myRights(SessionInfo s, String name) throws MailAccessException {
        return tx(em -> access(em).myRights(s, name));
    }

    private Object setAcl(SessionInfo s, String name, String identifier, FlagOperation op, String rights)
            throws MailAccessException {
        return tx(em -> {
            access(em).setAcl(s, name, identifier, op, rights);
            return null;
        });
    }

    private StoreResult store(SessionInfo s, long mailbox, FlagOperation op, String... flags)
            throws MailAccessException {
        return tx(em -> access(em).store(s, mailbox, new long[] {1}, op, Set.of(flags), -1));
    }

    private Set<String> flags(SessionInfo s, long mailbox) throws MailAccessException {
        return flags(s, mailbox, 1);
    }

    private Set<String> flags(SessionInfo s, long mailbox, long uid) throws MailAccessException {
        List<MessageData> data = tx(em -> access(em).fetch(s, mailbox, new long[] {uid}, false));
        return data.get(0).flags();
    }

    private AppendResult append(SessionInfo s, String mailbox, String message, Set<String> flags) throws Exception {
        Path file = Files.createTempFile(spoolDir, "append-", ".eml");
        Files.writeString(file, message, StandardCharsets.UTF_8);
        try {
            return tx(em -> access(em).append(s, mailbox, file, Files.size(file), flags, null));
        } finally {
            Files.deleteIfExists(file);
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
