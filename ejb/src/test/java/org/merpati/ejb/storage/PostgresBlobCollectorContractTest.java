package org.merpati.ejb.storage;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** Blob collection on PostgreSQL, the production database (a private cluster, see {@link PostgresCluster}). */
@ExtendWith(PostgresCluster.class)
class PostgresBlobCollectorContractTest extends BlobCollectorContractTest {

    @Override
    protected DataSource freshDatabase() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(PostgresCluster.createDatabase());
        dataSource.setUser(PostgresCluster.user());
        dataSource.setPassword(PostgresCluster.password());
        return dataSource;
    }
}
