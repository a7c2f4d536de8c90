package org.merpati.ejb.storage;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** {@link ImapHotPathMeasurement} on H2 (in memory). */
class H2ImapHotPathMeasurement extends ImapHotPathMeasurement {

    @Override
    protected DataSource freshDatabase() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:measure;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=30000");
        dataSource.setUser("sa");
        return dataSource;
    }
}
