package org.merpati.ejb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import jakarta.persistence.PersistenceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.merpati.ejb.api.SendAsView;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.SchemaMigration;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.submission.SendAsManager;

/**
 * Send-as grants (V6) on every backend: administration (canonical forms, duplicates, unknown accounts), the
 * sender rules read through JPA (own address, aliases, address and domain grants), and grants going with the
 * account. Run on H2 and PostgreSQL by the subclasses; one domain per test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SendAsContractTest {

    private static final AtomicInteger DOMAINS = new AtomicInteger();

    private EntityManagerFactory emf;
    private final MerpatiConfig config = MerpatiConfig.of(Map.of("MERPATI_PRIMARY_DOMAIN", "primary.test",
            "MERPATI_HOSTNAME", "mx.test"));
    private final PasswordHasher hasher = new PasswordHasher(1_000);
    private String domain;
    private String alice;
    private String bob;

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
        emf = Persistence.createEntityManagerFactory("merpati", properties);
    }

    @AfterAll
    void close() {
        if (emf != null) {
            emf.close();
        }
    }

    @BeforeEach
    void newDomain() {
        domain = "sa" + DOMAINS.incrementAndGet() + ".example";
        alice = "alice@" + domain;
        bob = "bob@" + domain;
        tx(em -> {
            DirectoryManager directory = new DirectoryManager(em, hasher, config);
            directory.createDomain(domain);
            directory.createAccount(alice, "password-1", null, false);
            directory.createAccount(bob, "password-2", null, false);
            directory.createAccount("info@" + domain, "password-3", null, false);
            directory.addAlias("sales@" + domain, alice);
            directory.addAlias("sales@" + domain, bob);
            directory.addAlias("bobby@" + domain, bob);
            return null;
        });
    }

    @Test
    void grantsAreStoredCanonicalListedSortedAndRevoked() {
        assertEquals(new SendAsView(alice, "info@" + domain),
                tx(em -> new SendAsManager(em).grant("ALICE@" + domain.toUpperCase(), "Info@" + domain.toUpperCase())));
        assertEquals(new SendAsView(alice, "@partner.example"),
                tx(em -> new SendAsManager(em).grant(alice, "@Partner.EXAMPLE")));
        assertEquals(List.of(new SendAsView(alice, "@partner.example"), new SendAsView(alice, "info@" + domain)),
                tx(em -> new SendAsManager(em).list(alice)));
        assertEquals(List.of(), tx(em -> new SendAsManager(em).list(bob)), "grants are per account");

        tx(em -> {
            new SendAsManager(em).revoke(alice, "INFO@" + domain);
            return null;
        });
        assertEquals(List.of(new SendAsView(alice, "@partner.example")), tx(em -> new SendAsManager(em).list(alice)));
    }

    @Test
    void refusals() {
        tx(em -> new SendAsManager(em).grant(alice, "info@" + domain));
        assertError(MailError.EXISTS, em -> new SendAsManager(em).grant(alice, "Info@" + domain));
        assertError(MailError.NOT_FOUND, em -> new SendAsManager(em).grant("nobody@" + domain, "info@" + domain));
        assertError(MailError.NOT_FOUND, em -> {
            new SendAsManager(em).revoke(alice, "other@" + domain);
            return null;
        });
        assertError(MailError.INVALID, em -> new SendAsManager(em).grant(alice, alice));
        assertError(MailError.INVALID, em -> new SendAsManager(em).grant(alice, "not an address"));
        assertError(MailError.INVALID, em -> new SendAsManager(em).grant(alice, "x%y@" + domain));
        assertError(MailError.INVALID, em -> new SendAsManager(em).grant(alice, "@"));
        assertError(MailError.INVALID, em -> new SendAsManager(em).grant(alice, " "));
    }

    @Test
    void senderRulesReadTheDirectory() {
        tx(em -> new SendAsManager(em).grant(alice, "info@" + domain));
        tx(em -> new SendAsManager(em).grant(bob, "@partner.example"));
        Map<String, Boolean> aliceMay = Map.of(
                alice, true,
                "Alice+tag@" + domain, true,
                "sales@" + domain, true,
                "info@" + domain, true,
                "bobby@" + domain, false,
                bob, false,
                "x@partner.example", false);
        aliceMay.forEach((address, allowed) -> assertEquals(allowed,
                tx(em -> new SendAsManager(em).firstForeign(alice, List.of(address))) == null, address));
        assertNull(tx(em -> new SendAsManager(em).firstForeign(bob, List.of("x@partner.example", "bobby@" + domain,
                "sales@" + domain))));
        assertEquals("info@" + domain, tx(em -> new SendAsManager(em).firstForeign(bob, List.of(bob, "info@" + domain))));
    }

    @Test
    void grantsGoWithTheirAccount() {
        tx(em -> new SendAsManager(em).grant(alice, "info@" + domain));
        tx(em -> {
            new DirectoryManager(em, hasher, config).deleteAccount(alice);
            return null;
        });
        long left = tx(em -> ((Number) em.createNativeQuery("select count(*) from send_as s join accounts a "
                + "on a.id = s.account_id where a.address = ?1").setParameter(1, alice).getSingleResult()).longValue());
        assertEquals(0, left);
        long orphans = tx(em -> ((Number) em.createNativeQuery("select count(*) from send_as s where not exists "
                + "(select 1 from accounts a where a.id = s.account_id)").getSingleResult()).longValue());
        assertEquals(0, orphans);
        tx(em -> new DirectoryManager(em, hasher, config).createAccount(alice, "password-1", null, false));
        assertEquals(List.of(), tx(em -> new SendAsManager(em).list(alice)), "a new account starts without grants");
    }

    @Test
    void theSchemaRefusesUpperCaseAndDuplicates() {
        long bobId = tx(em -> ((Number) em.createNativeQuery("select id from accounts where address = ?1")
                .setParameter(1, bob).getSingleResult()).longValue());
        assertThrows(PersistenceException.class, () -> tx(em -> em.createNativeQuery("insert into send_as "
                + "(account_id, address, created_at) values (?1, 'Info@X.example', CURRENT_TIMESTAMP)")
                .setParameter(1, bobId).executeUpdate()));
        tx(em -> em.createNativeQuery("insert into send_as (account_id, address, created_at) values "
                + "(?1, 'info@x.example', CURRENT_TIMESTAMP)").setParameter(1, bobId).executeUpdate());
        assertThrows(PersistenceException.class, () -> tx(em -> em.createNativeQuery("insert into send_as "
                + "(account_id, address, created_at) values (?1, 'info@x.example', CURRENT_TIMESTAMP)")
                .setParameter(1, bobId).executeUpdate()));
    }

    private void assertError(MailError error, Function<EntityManager, Object> work) {
        MailException e = assertThrows(MailException.class, () -> tx(work));
        assertEquals(error, e.error(), e.getMessage());
    }

    private <T> T tx(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }
}
