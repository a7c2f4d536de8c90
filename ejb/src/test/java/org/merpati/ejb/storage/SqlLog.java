package org.merpati.ejb.storage;

import java.util.ArrayList;
import java.util.List;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/** Records the SQL Hibernate prepares on the current thread while {@link #recording} is on (tests count it). */
public final class SqlLog implements StatementInspector {

    private static final ThreadLocal<List<String>> RECORDED = new ThreadLocal<>();

    /** Starts recording on this thread; the list fills as statements are prepared. */
    public static List<String> recording() {
        List<String> statements = new ArrayList<>();
        RECORDED.set(statements);
        return statements;
    }

    public static void stop() {
        RECORDED.remove();
    }

    @Override
    public String inspect(String sql) {
        List<String> statements = RECORDED.get();
        if (statements != null) {
            statements.add(sql);
        }
        return sql;
    }
}
