package org.merpati.ejb.storage;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** Blob collection on H2, the embedded default. */
class H2BlobCollectorContractTest extends BlobCollectorContractTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected DataSource freshDatabase() {
        JdbcDataSource dataSource = new JdbcDataSource();
        // LOCK_TIMEOUT: the race tests wait on row locks longer than H2's default second
        dataSource.setURL("jdbc:h2:mem:blobgc" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
        dataSource.setUser("sa");
        return dataSource;
    }
}
