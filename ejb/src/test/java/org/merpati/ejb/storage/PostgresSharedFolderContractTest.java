package org.merpati.ejb.storage;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** Public folders (the Shared namespace) on PostgreSQL (a private cluster, see {@link PostgresCluster}). */
@ExtendWith(PostgresCluster.class)
class PostgresSharedFolderContractTest extends SharedFolderContractTest {

    @Override
    protected DataSource freshDatabase() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(PostgresCluster.createDatabase());
        dataSource.setUser(PostgresCluster.user());
        dataSource.setPassword(PostgresCluster.password());
        return dataSource;
    }
}
