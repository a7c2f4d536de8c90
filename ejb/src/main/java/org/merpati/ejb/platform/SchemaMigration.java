package org.merpati.ejb.platform;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logging.Logger;

/**
 * Applies the Flyway migrations of db-migrations ({@code classpath:db/migration}) to a data source. Plain
 * class so tests migrate fresh H2 and PostgreSQL databases the same way the server does.
 */
public final class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class);

    private SchemaMigration() {
    }

    /**
     * @param classLoader the loader that sees db-migrations; in WildFly the deployment's (the jar is in
     *                    ear/lib), passed explicitly because Flyway's default is the thread context loader
     * @return the schema version after migration
     */
    public static String migrate(DataSource dataSource, ClassLoader classLoader) {
        Flyway flyway = Flyway.configure(classLoader)
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                // a database that has tables but no history is someone else's: refuse instead of guessing
                .baselineOnMigrate(false)
                .load();
        MigrateResult result = flyway.migrate();
        LOG.infof("Database schema at version %s (%d migration(s) applied now)",
                result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                result.migrationsExecuted);
        return flyway.info().current() == null ? null : flyway.info().current().getVersion().getVersion();
    }
}
