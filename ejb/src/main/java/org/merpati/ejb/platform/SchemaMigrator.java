package org.merpati.ejb.platform;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceUnit;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.service.RandomPasswords;

/**
 * At deploy: migrates the schema with Flyway, validates the JPA mapping against it, ensures the primary
 * domain and administrator exist, then marks storage ready. Bean-managed transactions because Flyway
 * commits on its own connections, which a container transaction around it would forbid.
 *
 * <p>A failure leaves {@link StorageReadiness} FAILED: the deployment stays up so the health endpoint can
 * say why, and the mail listeners answer 4xx instead of touching a broken schema.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class);

    @Resource(lookup = "java:jboss/datasources/MerpatiDS")
    private DataSource dataSource;

    @PersistenceUnit(unitName = "merpati")
    private EntityManagerFactory emf;

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @Resource
    private UserTransaction tx;

    @PostConstruct
    void start() {
        StorageReadiness.starting();
        try {
            MerpatiConfig config = MerpatiConfig.current();
            Files.createDirectories(config.blobDir());
            SchemaMigration.migrate(dataSource, getClass().getClassLoader());
            emf.unwrap(org.hibernate.SessionFactory.class).getSchemaManager().validateMappedObjects();
            bootstrapDirectory(config);
            StorageReadiness.ready();
            LOG.info("Merpati storage ready");
        } catch (Exception e) {
            StorageReadiness.failed("storage startup failed: " + e);
            LOG.error("Merpati storage startup failed; mail listeners answer 451 until redeployed", e);
        }
    }

    private void bootstrapDirectory(MerpatiConfig config) throws Exception {
        tx.begin();
        try {
            Optional<String> generated = new DirectoryManager(em, new PasswordHasher(), config)
                    .ensurePrimaryDomainAndAdministrator(new RandomPasswords());
            tx.commit();
            generated.ifPresent(password -> announce(config, password));
        } catch (Exception e) {
            try {
                tx.rollback();
            } catch (Exception rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    /**
     * Printed once, when the account is created, and written to {@code <data>/admin-password} readable by the
     * server's user only, so that the admin tool works at once (as Jenkins' initialAdminPassword). Delete the
     * file after changing the password.
     */
    private static void announce(MerpatiConfig config, String password) {
        Path file = config.dataDir().resolve("admin-password");
        String written;
        try {
            Files.createDirectories(config.dataDir());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n");
            written = "Also written to " + file + " for the admin tool.";
        } catch (IOException | UnsupportedOperationException e) {
            written = "Could not write " + file + ": " + e.getMessage();
        }
        String line = "*".repeat(78);
        LOG.warnf("%n%s%n*  Merpati administrator: admin@%s password: %s%n"
                        + "*  Shown once. %s%n*  Change it, or set MERPATI_ADMIN_PASSWORD.%n%s",
                line, config.primaryDomain(), password, written, line);
    }
}
