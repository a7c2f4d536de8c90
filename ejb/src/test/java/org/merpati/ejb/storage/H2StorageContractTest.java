package org.merpati.ejb.storage;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The storage contract on H2, the embedded default. */
class H2StorageContractTest extends StorageContractTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected DataSource freshDatabase() {
        JdbcDataSource dataSource = new JdbcDataSource();
        // LOCK_TIMEOUT: concurrent deliveries wait on the mailbox row lock instead of failing after 1 s
        dataSource.setURL("jdbc:h2:mem:contract" + DATABASES.incrementAndGet()
                + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
        dataSource.setUser("sa");
        return dataSource;
    }
}
