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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
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
import org.merpati.connector.api.access.MailboxInfo;
import org.merpati.connector.api.access.QuotaUsage;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.ejb.api.SharedFolderView;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.SchemaMigration;
import org.merpati.ejb.service.ChangeNotifier;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.MailboxManager;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.service.SharedFolderManager;
import org.merpati.ejb.storage.blob.BlobStore;

/**
 * Public folders (the IMAP "Shared" namespace, RFC 2342, with RFC 4314 ACLs) on every backend: folders an
 * administrator creates for a domain, seen by that domain's users as {@code Shared/<name>} with the rights the
 * folder's ACL gives, and by nobody else; the domain's pseudo-account that owns them never acts as a user. Run on
 * H2 and PostgreSQL by the subclasses; one domain per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SharedFolderContractTest {

    private static final AtomicInteger DOMAINS = new AtomicInteger();
    private static final String MESSAGE = "Subject: public\r\nFrom: a@example.com\r\n\r\nhello\r\n";

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

    /** Every test: a domain with alice and bob, and the public folder "Projects" with one message (no ACL yet). */
    @BeforeEach
    void newDomain(@TempDir Path temp) throws Exception {
        domain = "p" + DOMAINS.incrementAndGet() + ".example";
        blobs = new BlobStore(temp.resolve("blobs"));
        spoolDir = Files.createDirectories(temp.resolve("spool"));
        tx(em -> directory(em).createDomain(domain));
        account("alice");
        account("bob");
        alice = session(addr("alice"));
        bob = session(addr("bob"));
        tx(em -> folders(em).create(domain, "Projects"));
        folderAcl("Projects", "anyone", "lri");
        append(alice, "Shared/Projects", MESSAGE, Set.of());
        folderAcl("Projects", "anyone", "");
    }

    // ---- namespace and visibility ----

    @Test
    void listShowsWhatTheLookupRightAllowsPerUserGroupAnyoneAndNegativeEntries() throws Exception {
        assertFalse(names(bob).stream().anyMatch(n -> n.startsWith("Shared")), "no ACL entry: invisible");
        assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).status(bob, "Shared/Projects")));

        folderAcl("Projects", "anyone", "l");
        MailboxInfo info = info(bob, "Shared/Projects");
        assertNull(info.specialUse());
        assertFalse(info.subscribed());
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).status(bob, "Shared/Projects")), "l without r");

        folderAcl("Projects", "anyone", "lr");
        assertEquals(1, tx(em -> access(em).status(bob, "Shared/Projects")).messages());
        assertEquals("Shared/Projects", tx(em -> access(em).status(bob, "Shared/Projects")).name());
        assertEquals("lr", myRights(bob, "Shared/Projects"));
        assertTrue(tx(em -> access(em).select(bob, "Shared/Projects", false)).readOnly(), "no i, e, w, s, t");

        folderAcl("Projects", "-" + addr("bob"), "l");
        assertFalse(names(bob).contains("Shared/Projects"), "a negative entry takes l away from bob only");
        assertTrue(names(alice).contains("Shared/Projects"));

        folderAcl("Projects", "-" + addr("bob"), "");
        folderAcl("Projects", "anyone", "");
        tx(em -> {
            directory(em).createGroup(addr("team"));
            directory(em).addGroupMember(addr("team"), addr("bob"));
            return null;
        });
        folderAcl("Projects", addr("team"), "lrs");
        assertEquals("lrs", myRights(bob, "Shared/Projects"), "through a group");
        assertFalse(names(alice).contains("Shared/Projects"), "alice is not in the group");
    }

    @Test
    void subfoldersShowWithChildrenAndSubscriptionsArePerUser() throws Exception {
        tx(em -> folders(em).create(domain, "Projects/2026"));
        folderAcl("Projects", "anyone", "lr");
        folderAcl("Projects/2026", "anyone", "lr");
        assertEquals(List.of("Shared/Projects", "Shared/Projects/2026"),
                names(bob).stream().filter(n -> n.startsWith("Shared/")).toList());
        setSubscribed(bob, "Shared/Projects", true);
        assertTrue(info(bob, "Shared/Projects").subscribed());
        assertFalse(info(alice, "Shared/Projects").subscribed(), "bob's subscription is his own");
        setSubscribed(bob, "Shared/Projects", false);
        assertFalse(info(bob, "Shared/Projects").subscribed());
    }

    // ---- the operations, through the same resolver ----

    @Test
    void messagesAreReadWrittenCopiedMovedAndExpungedWithTheFoldersRightsAndCountForTheDomain() throws Exception {
        folderAcl("Projects", "anyone", "lrswite");
        long box = tx(em -> access(em).select(bob, "Shared/Projects", false)).status().id();
        QuotaUsage before = tx(em -> access(em).quota(bob, "Shared"));
        long bobBefore = tx(em -> access(em).quota(bob)).usedBytes();

        AppendResult appended = append(bob, "Shared/Projects", MESSAGE, Set.of("\\Flagged"));
        assertEquals(box, appended.mailboxId());
        assertEquals(2, tx(em -> access(em).fetch(bob, box, new long[] {1, 2}, true)).size());
        assertArrayEquals(new long[] {1, 2}, tx(em -> access(em).search(bob, box, new SearchKey.All())));
        QuotaUsage after = tx(em -> access(em).quota(bob, "Shared"));
        assertEquals("Shared", after.root());
        assertEquals(0, after.limitBytes(), "public folders have no limit by default");
        assertTrue(after.usedBytes() > before.usedBytes(), "counted for the domain's public folders");
        assertEquals(bobBefore, tx(em -> access(em).quota(bob)).usedBytes(), "not for the user who appended");
        assertEquals("Shared", tx(em -> access(em).quotaOf(bob, "Shared/Projects")).root());
        assertEquals("", tx(em -> access(em).quotaOf(bob, "INBOX")).root());

        AppendResult own = append(bob, "INBOX", MESSAGE, Set.of());
        CopyResult copied = tx(em -> access(em).copy(bob, own.mailboxId(), new long[] {own.uid()},
                "Shared/Projects", false));
        assertEquals(box, copied.targetMailboxId());
        tx(em -> access(em).copy(bob, box, new long[] {1}, "INBOX", true));
        assertEquals(2, tx(em -> access(em).status(alice, "Shared/Projects")).messages(), "moved out");

        tx(em -> access(em).store(bob, box, new long[] {2}, FlagOperation.ADD, Set.of("\\Deleted"), -1));
        assertArrayEquals(new long[] {2}, tx(em -> access(em).expunge(bob, box, null)));
        assertEquals(1, tx(em -> access(em).status(alice, "Shared/Projects")).messages());
        assertEquals(2, tx(em -> access(em).changesSince(alice, box, 0)).expunged().length, "move and expunge");
    }

    @Test
    void onlyAdministratorsCreateTopLevelFoldersAndKAllowsSubfolders() throws Exception {
        folderAcl("Projects", "anyone", "lrkx");
        for (String name : List.of("Shared/New", "Shared", "Shared/INBOX", "Shared/Other/Deep")) {
            assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).createMailbox(bob, name, null)), name);
        }
        MailboxInfo created = tx(em -> access(em).createMailbox(bob, "Shared/Projects/Sub", null));
        assertEquals("Shared/Projects/Sub", created.name());
        assertTrue(names(alice).contains("Shared/Projects/Sub"), "the parent's ACL is inherited");
        assertEquals(List.of("Projects", "Projects/Sub"), tx(em -> folders(em).list(domain)).stream()
                .map(SharedFolderView::name).toList());
        tx(em -> {
            access(em).renameMailbox(bob, "Shared/Projects/Sub", "Shared/Projects/Renamed");
            return null;
        });
        assertKind(Kind.CANNOT, () -> tx(em -> {
            access(em).renameMailbox(bob, "Shared/Projects/Renamed", "Mine");
            return null;
        }), "a public folder does not become a user's");
        tx(em -> {
            access(em).deleteMailbox(bob, "Shared/Projects/Renamed");
            return null;
        });
        assertFalse(names(alice).contains("Shared/Projects/Renamed"));

        folderAcl("Projects", "anyone", "lr");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).createMailbox(bob, "Shared/Projects/Sub", null)),
                "no k");
    }

    @Test
    void setAclNeedsTheAdministerRightAndNoOwnerIsShown() throws Exception {
        account("carol");
        folderAcl("Projects", addr("bob"), "lr");
        assertKind(Kind.NO_PERMISSION, () -> setAcl(bob, "Shared/Projects", addr("carol"), "lr"));
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).getAcl(bob, "Shared/Projects")));

        folderAcl("Projects", addr("bob"), "lra");
        setAcl(bob, "Shared/Projects", addr("carol"), "lrs");
        assertEquals("lrs", myRights(session(addr("carol")), "Shared/Projects"));
        assertEquals(List.of(new AclEntry(addr("bob"), "lra"), new AclEntry(addr("carol"), "lrs")),
                tx(em -> access(em).getAcl(bob, "Shared/Projects")), "only the stored entries: no owner");
        assertEquals("", tx(em -> access(em).listRights(bob, "Shared/Projects", addr("carol"))).required());
        assertKind(Kind.INVALID, () -> setAcl(bob, "Shared/Projects", "@" + domain, "lr"));
        assertKind(Kind.INVALID, () -> setAcl(bob, "Shared/Projects", "eve@elsewhere.example", "lr"));
        assertEquals(Map.of(addr("bob"), "lra", addr("carol"), "lrs"),
                tx(em -> folders(em).list(domain)).get(0).acl(), "what the administrator sees");
    }

    // ---- tenancy: another domain reaches nothing ----

    @Test
    void anotherDomainsUsersReachNothingByNameIdListOrCopy() throws Exception {
        tx(em -> folders(em).create(domain, "Secret"));
        folderAcl("Secret", "anyone", "lrswipkxtea");
        append(alice, "Shared/Secret", MESSAGE, Set.of());
        long secret = tx(em -> access(em).status(alice, "Shared/Secret")).id();

        String other = "q" + DOMAINS.incrementAndGet() + ".example";
        tx(em -> directory(em).createDomain(other));
        tx(em -> directory(em).createAccount("eve@" + other, "long-enough", null, false));
        SessionInfo eve = session("eve@" + other);
        append(eve, "INBOX", MESSAGE, Set.of());
        long eveInbox = tx(em -> access(em).status(eve, "INBOX")).id();

        for (boolean otherDomainHasFolders : List.of(false, true)) {
            if (otherDomainHasFolders) { // her own domain's public folders do not open a door to ours
                tx(em -> folders(em).create(other, "Projects"));
                folderAcl(other, "Projects", "anyone", "lr");
                assertTrue(names(eve).contains("Shared/Projects"));
                assertTrue(tx(em -> access(em).status(eve, "Shared/Projects")).id() != secret);
            }
            assertFalse(names(eve).contains("Shared/Secret"));
            List<NamedCall> calls = List.of(
                    name -> tx(em -> access(em).status(eve, name)),
                    name -> tx(em -> access(em).select(eve, name, true)),
                    name -> tx(em -> access(em).getAcl(eve, name)),
                    name -> tx(em -> access(em).myRights(eve, name)),
                    name -> tx(em -> access(em).quotaOf(eve, name)),
                    name -> setAcl(eve, name, "anyone", "lr"),
                    name -> append(eve, name, MESSAGE, Set.of()),
                    name -> tx(em -> access(em).copy(eve, eveInbox, new long[] {1}, name, false)));
            for (NamedCall call : calls) {
                MailAccessException a = assertThrows(MailAccessException.class, () -> call.run("Shared/Secret"));
                MailAccessException b = assertThrows(MailAccessException.class, () -> call.run("Shared/Missing"));
                assertEquals(Kind.NONEXISTENT, a.kind(), a.getMessage());
                assertEquals(b.getMessage().replace("Missing", "Secret"), a.getMessage(), "same words");
            }
            assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).createMailbox(eve, "Shared/Secret/Sub", null)));
            assertKind(Kind.NONEXISTENT, () -> tx(em -> access(em).status(eve, "Other Users/@" + domain + "/Secret")),
                    "the pseudo-account is no other user");
            List<IdCall> byId = List.of(
                    id -> tx(em -> access(em).fetch(eve, id, new long[] {1}, true)),
                    id -> tx(em -> access(em).store(eve, id, new long[] {1}, FlagOperation.ADD, Set.of("\\Seen"), -1)),
                    id -> tx(em -> access(em).expunge(eve, id, null)),
                    id -> tx(em -> access(em).search(eve, id, new SearchKey.All())),
                    id -> tx(em -> access(em).changesSince(eve, id, 0)),
                    id -> tx(em -> access(em).copy(eve, id, new long[] {1}, "INBOX", true)));
            for (IdCall call : byId) {
                MailAccessException a = assertThrows(MailAccessException.class, () -> call.run(secret));
                MailAccessException b = assertThrows(MailAccessException.class, () -> call.run(secret + 1_000_000));
                assertEquals(Kind.NONEXISTENT, a.kind(), a.getMessage());
                assertEquals(b.getMessage(), a.getMessage(), "same words for a forged id");
            }
        }
        assertEquals(1, tx(em -> access(em).status(alice, "Shared/Secret")).messages(), "untouched");
        assertKind(MailError.INVALID, () -> tx(em -> folders(em).setAcl(domain, "Secret", "eve@" + other, "lr")),
                "an identifier of another domain cannot be granted");
    }

    // ---- the pseudo-account is nobody ----

    @Test
    void thePseudoAccountNeverAuthenticatesNorShowsAsAUserAndAUserNamedSharedIsFine() throws Exception {
        String pseudo = "@" + domain;
        tx(em -> {
            DirectoryManager d = directory(em);
            assertTrue(d.authenticate(pseudo, "!").isEmpty());
            assertTrue(d.authenticate(pseudo, "").isEmpty());
            assertTrue(MailboxManager.authenticate(d, null, pseudo, "!") == null);
            assertEquals(List.of(addr("alice"), addr("bob")),
                    d.listAccounts(domain).stream().map(a -> a.address()).toList());
            assertEquals(2, d.listDomains().stream().filter(v -> v.name().equals(domain)).findFirst()
                    .orElseThrow().accounts());
            assertThrows(MailException.class, () -> d.getAccount(pseudo));
            return null;
        });
        SessionInfo forged = session(pseudo);
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).listMailboxes(forged)), "never acts as a user");
        assertKind(Kind.NO_PERMISSION, () -> tx(em -> access(em).status(forged, "Projects")));

        account("shared"); // an ordinary user may be called "shared"
        SessionInfo shared = session(addr("shared"));
        assertFalse(names(shared).contains("Shared/Projects"));
        assertEquals(List.of("Projects"), tx(em -> folders(em).list(domain)).stream()
                .map(SharedFolderView::name).toList());
    }

    // ---- administration ----

    @Test
    void administratorsCreateListDeleteFoldersAndDeletingTheDomainTakesThemAlong() throws Exception {
        assertKind(MailError.EXISTS, () -> tx(em -> folders(em).create(domain, "Shared/Projects")));
        assertKind(MailError.INVALID, () -> tx(em -> folders(em).create(domain, "INBOX")));
        assertKind(MailError.INVALID, () -> tx(em -> folders(em).create(domain, "bad/")));
        assertKind(MailError.NOT_FOUND, () -> tx(em -> folders(em).create("nowhere.example", "X")));
        tx(em -> folders(em).create(domain, "Projects/Sub/Deeper"));
        folderAcl("Projects", "anyone", "lr");
        SharedFolderView projects = tx(em -> folders(em).list(domain)).get(0);
        assertEquals("Shared/Projects", projects.imapName());
        assertEquals(1, projects.messages());
        tx(em -> folders(em).create(domain, "Other"));
        tx(em -> {
            folders(em).delete(domain, "Projects");
            return null;
        });
        assertEquals(List.of("Other"), tx(em -> folders(em).list(domain)).stream().map(SharedFolderView::name)
                .toList(), "with its subfolders");
        assertEquals(0, tx(em -> access(em).quota(bob, "Shared")).usedBytes(), "the usage went with them");
        assertKind(MailError.NOT_FOUND, () -> tx(em -> {
            folders(em).delete(domain, "Projects");
            return null;
        }));

        String empty = "e" + DOMAINS.incrementAndGet() + ".example";
        tx(em -> directory(em).createDomain(empty));
        tx(em -> folders(em).create(empty, "Notices"));
        tx(em -> {
            directory(em).deleteDomain(empty);
            return null;
        });
        assertKind(MailError.NOT_FOUND, () -> tx(em -> folders(em).list(empty)));
        tx(em -> directory(em).createDomain(empty));
        assertEquals(List.of(), tx(em -> folders(em).list(empty)), "nothing left behind");
    }

    @Test
    void migrationMovesPersonalMailboxesThatTheNamespaceWouldHide() throws Exception {
        DataSource dataSource = freshDatabase();
        Flyway.configure(getClass().getClassLoader()).dataSource(dataSource).locations("classpath:db/migration")
                .target("7").load().migrate();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO domains (id, name, created_at) VALUES (1, 'm.example', CURRENT_TIMESTAMP)");
            for (int account = 1; account <= 2; account++) {
                s.executeUpdate("INSERT INTO accounts (id, domain_id, address, password_hash, admin, enabled, "
                        + "quota_bytes, used_bytes, created_at) VALUES (" + account + ", 1, 'u" + account
                        + "@m.example', 'x', FALSE, TRUE, 0, 0, CURRENT_TIMESTAMP)");
            }
            String[][] boxes = {{"1", "Shared"}, {"1", "Shared/Sub"}, {"1", "Shared stuff"}, {"1", "Sharedx"},
                {"2", "Shared"}, {"2", "Shared (personal)"}, {"2", "Shared/Kept"}};
            for (int i = 0; i < boxes.length; i++) {
                s.executeUpdate("INSERT INTO mailboxes (id, account_id, name, subscribed, uid_validity, uid_next, "
                        + "highest_modseq, message_count, size_bytes) VALUES (" + (i + 1) + ", " + boxes[i][0] + ", '"
                        + boxes[i][1] + "', TRUE, 1, 1, 0, 0, 0)");
            }
        }
        SchemaMigration.migrate(dataSource, getClass().getClassLoader());
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT account_id, name FROM mailboxes ORDER BY id")) {
            while (r.next()) {
                names.add(r.getLong(1) + ":" + r.getString(2));
            }
            try (ResultSet kinds = c.createStatement().executeQuery("SELECT DISTINCT kind FROM accounts")) {
                assertTrue(kinds.next());
                assertEquals("USER", kinds.getString(1), "existing accounts are users");
            }
        }
        assertEquals(List.of("1:Shared (personal)", "1:Shared (personal)/Sub", "1:Shared stuff", "1:Sharedx",
                "2:Shared", "2:Shared (personal)", "2:Shared (personal)/Kept"), names,
                "renamed unless the new name is taken");
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

    private DirectoryManager directory(EntityManager em) {
        return new DirectoryManager(em, hasher, config);
    }

    private MailboxManager access(EntityManager em) {
        return new MailboxManager(em, blobs, ChangeNotifier.immediate());
    }

    private SharedFolderManager folders(EntityManager em) {
        return new SharedFolderManager(em, blobs, ChangeNotifier.immediate());
    }

    private void account(String local) throws MailAccessException {
        tx(em -> directory(em).createAccount(addr(local), "long-enough", null, false));
    }

    private static SessionInfo session(String address) {
        return new SessionInfo("s-" + address, "IMAP", "127.0.0.1", 40000, null, "127.0.0.1", 143, "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", address);
    }

    private void folderAcl(String name, String identifier, String rights) throws MailAccessException {
        folderAcl(domain, name, identifier, rights);
    }

    private void folderAcl(String inDomain, String name, String identifier, String rights) throws MailAccessException {
        tx(em -> folders(em).setAcl(inDomain, name, identifier, rights));
    }

    private List<String> names(SessionInfo s) throws MailAccessException {
        return tx(em -> access(em).listMailboxes(s)).stream().map(MailboxInfo::name).sorted().toList();
    }

    private MailboxInfo info(SessionInfo s, String name) throws MailAccessException {
        return tx(em -> access(em).listMailboxes(s)).stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not listed"));
    }

    private String myRights(SessionInfo s, String name) throws MailAccessException {
        return tx(em -> access(em).myRights(s, name));
    }

    private Object setAcl(SessionInfo s, String name, String identifier, String rights) throws MailAccessException {
        return tx(em -> {
            access(em).setAcl(s, name, identifier, FlagOperation.REPLACE, rights);
            return null;
        });
    }

    private void setSubscribed(SessionInfo s, String name, boolean subscribed) throws MailAccessException {
        tx(em -> {
            access(em).setSubscribed(s, name, subscribed);
            return null;
        });
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

    private static void assertKind(MailError error, Action action) {
        assertKind(error, action, null);
    }

    private static void assertKind(MailError error, Action action, String message) {
        MailException e = assertThrows(MailException.class, action::run, message);
        assertEquals(error, e.error(), (message == null ? "" : message + ": ") + e.getMessage());
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
