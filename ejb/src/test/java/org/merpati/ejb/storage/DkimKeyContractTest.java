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
import java.security.SecureRandom;
import java.time.Instant;
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
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.api.DkimKeyView;
import org.merpati.ejb.api.DnsRecordView;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.mailauth.DkimKeyManager;
import org.merpati.ejb.mailauth.DkimKeySettings;
import org.merpati.ejb.mailauth.DkimResult;
import org.merpati.ejb.mailauth.PrivateKeyCipher;
import org.merpati.ejb.mailauth.dkim.DkimSigner;
import org.merpati.ejb.mailauth.dkim.DkimVerifier;
import org.merpati.ejb.mailauth.dkim.SigningKey;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.SchemaMigration;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.mailauth.dkim.MapKeyLookup;

/**
 * DKIM keys on every backend (V5 {@code dkim_keys}): the mapping validates, generated keys sign mail that verifies
 * against the DNS records the manager suggests, private keys are stored encrypted, selectors and algorithms are
 * checked, deactivated keys stop signing, keys go with their domain. Run on H2 and PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DkimKeyContractTest {

    private static final AtomicInteger DOMAINS = new AtomicInteger();
    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
    private static final String MESSAGE = "From: alice@%s\r\nTo: bob@remote.example\r\nSubject: hello\r\n"
            + "Date: Tue, 1 Dec 2026 08:00:00 +0000\r\nMessage-ID: <m1@x>\r\n\r\nHello there.\r\n";

    private EntityManagerFactory emf;
    private final MerpatiConfig config = MerpatiConfig.of(Map.of("MERPATI_PRIMARY_DOMAIN", "primary.test",
            "MERPATI_HOSTNAME", "mx.test"));
    private final DkimKeySettings settings = new DkimKeySettings(null, null, 60, "mail.merpati.test");
    private PrivateKeyCipher cipher;
    private String domain;

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
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        cipher = new PrivateKeyCipher(master);
    }

    @AfterAll
    void close() {
        if (emf != null) {
            emf.close();
        }
    }

    @BeforeEach
    void newDomain() {
        domain = "k" + DOMAINS.incrementAndGet() + ".example";
        tx(em -> new DirectoryManager(em, new PasswordHasher(1_000), config).createDomain(domain));
    }

    private DkimKeyManager keys(EntityManager em) {
        return new DkimKeyManager(em, cipher, settings);
    }

    @Test
    void mappingMatchesMigratedSchema() {
        emf.unwrap(org.hibernate.SessionFactory.class).getSchemaManager().validateMappedObjects();
    }

    @Test
    void generatedKeysSignMailThatVerifiesAgainstTheSuggestedRecords(@TempDir Path temp) throws Exception {
        DkimKeyView rsa = tx(em -> keys(em).generateKey(domain.toUpperCase(), null, null, NOW));
        DkimKeyView ed = tx(em -> keys(em).generateKey(domain, "ed25519", null, NOW));
        assertEquals("merpati-rsa-202612", rsa.selector());
        assertEquals("rsa-sha256", rsa.algorithm());
        assertEquals("merpati-ed-202612", ed.selector());
        assertEquals("merpati-ed-202612._domainkey." + domain, ed.recordName());
        assertTrue(ed.recordValue().startsWith("v=DKIM1; k=ed25519; p="), ed.recordValue());
        assertEquals(List.of(rsa, ed), tx(em -> keys(em).listKeys(domain)));

        List<DnsRecordView> records = tx(em -> keys(em).dnsRecords(domain));
        assertEquals(List.of("mx", "spf", "dmarc", "dkim", "dkim"), records.stream().map(DnsRecordView::purpose).toList());
        assertEquals(new DnsRecordView(domain, "MX", "10 mail.merpati.test.", "mx"), records.get(0));
        assertEquals("v=spf1 mx a:mail.merpati.test -all", records.get(1).value());
        assertEquals(new DnsRecordView("_dmarc." + domain, "TXT", "v=DMARC1; p=quarantine; rua=mailto:postmaster@" + domain,
                "dmarc"), records.get(2));
        DnsRecordView rsaRecord = records.get(3);
        assertTrue(rsaRecord.value().length() > 255, "an RSA 2048 record is longer than one TXT string");
        assertEquals(2, rsaRecord.strings().size());
        assertTrue(rsaRecord.strings().stream().allMatch(s -> s.length() <= 255));
        assertTrue(rsaRecord.zoneLine().startsWith(rsaRecord.name() + ".\tIN\tTXT\t( \"v=DKIM1; k=rsa; p="), rsaRecord.zoneLine());

        List<SigningKey> signing = tx(em -> keys(em).signingKeys(domain));
        assertEquals(2, signing.size());
        Path file = temp.resolve("m.eml");
        Files.writeString(file, MESSAGE.formatted(domain), StandardCharsets.US_ASCII);
        String signed = new DkimSigner().sign(file, signing, NOW.getEpochSecond()) + Files.readString(file);
        MapKeyLookup dns = new MapKeyLookup();
        records.stream().filter(r -> r.purpose().equals("dkim")).forEach(r -> dns.put(r.name(), String.join("", r.strings())));
        List<DkimResult> results = new DkimVerifier(dns).verify(new ByteArrayInputStream(signed.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of("pass", "pass"), results.stream().map(DkimResult::result).toList());
        assertEquals(List.of("rsa-sha256", "ed25519-sha256"), results.stream().map(DkimResult::algorithm).toList());
    }

    @Test
    void privateKeysAreStoredEncrypted() {
        tx(em -> keys(em).generateKey(domain, "ed25519", "s1", NOW));
        String stored = tx(em -> (String) em.createNativeQuery("select k.private_key from dkim_keys k join domains d"
                + " on d.id = k.domain_id where d.name = ?1").setParameter(1, domain).getSingleResult());
        assertTrue(stored.startsWith("aesgcm:"), stored);
        PrivateKeyCipher other = new PrivateKeyCipher(new byte[32]);
        assertThrows(IllegalStateException.class,
                () -> tx(em -> new DkimKeyManager(em, other, settings).signingKeys(domain)), "another master key");
    }

    @Test
    void deactivatedKeysStopSigningButStayListed() {
        tx(em -> keys(em).generateKey(domain, "rsa", "old", NOW));
        tx(em -> keys(em).generateKey(domain, "ed25519", "new", NOW));
        tx(em -> {
            keys(em).deactivateKey(domain, "OLD");
            return null;
        });
        assertEquals(List.of("new"), tx(em -> keys(em).signingKeys(domain)).stream().map(SigningKey::selector).toList());
        List<DkimKeyView> listed = tx(em -> keys(em).listKeys(domain));
        assertEquals(2, listed.size());
        assertFalse(listed.get(0).active());
        assertEquals(1, tx(em -> keys(em).dnsRecords(domain)).stream().filter(r -> r.purpose().equals("dkim")).count());
    }

    @Test
    void badRequestsAreRefusedWithTheirKind() {
        tx(em -> keys(em).generateKey(domain, "rsa", "taken", NOW));
        record Case(String domain, String algorithm, String selector, MailError error) {
        }
        for (Case c : List.of(
                new Case(domain, "rsa", "taken", MailError.EXISTS),
                new Case(domain, "ed25519", "Taken", MailError.EXISTS),
                new Case(domain, "dsa", null, MailError.INVALID),
                new Case(domain, "rsa", "bad selector", MailError.INVALID),
                new Case(domain, "rsa", "-leading", MailError.INVALID),
                new Case(domain, "rsa", "x".repeat(64), MailError.INVALID),
                new Case("nowhere.example", "rsa", null, MailError.NOT_FOUND))) {
            MailException e = assertThrows(MailException.class,
                    () -> tx(em -> keys(em).generateKey(c.domain(), c.algorithm(), c.selector(), NOW)), c.toString());
            assertEquals(c.error(), e.error(), c.toString());
        }
        MailException missing = assertThrows(MailException.class, () -> tx(em -> {
            keys(em).deactivateKey(domain, "nope");
            return null;
        }));
        assertEquals(MailError.NOT_FOUND, missing.error());
        assertEquals(List.of(), tx(em -> keys(em).signingKeys("nowhere.example")));
        assertEquals(List.of(), tx(em -> keys(em).signingKeys("not a domain")));
    }

    @Test
    void dottedSelectorsAreAllowed() {
        DkimKeyView key = tx(em -> keys(em).generateKey(domain, "ed25519", "2026.eu", NOW));
        assertEquals("2026.eu._domainkey." + domain, key.recordName());
    }

    @Test
    void keysGoWithTheirDomain() {
        tx(em -> keys(em).generateKey(domain, "ed25519", "s", NOW));
        tx(em -> {
            new DirectoryManager(em, new PasswordHasher(1_000), config).deleteDomain(domain);
            return null;
        });
        long left = tx(em -> (Long) em.createQuery("select count(k) from DkimKeyEntity k where k.selector = 's'"
                + " and k.domain.name = :d").setParameter("d", domain).getSingleResult());
        assertEquals(0, left);
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
