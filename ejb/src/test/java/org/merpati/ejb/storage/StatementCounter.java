package org.merpati.ejb.storage;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A small connection pool that counts statements prepared or created through it (ORM and plain JDBC alike)
 * on the current thread, for measurements: pooled like the server's data source, so that opening a physical
 * connection per transaction does not drown what is measured.
 */
final class StatementCounter {

    /** Per thread: a measured operation runs on one thread, background work on others. */
    private static final ThreadLocal<AtomicLong> COUNT = ThreadLocal.withInitial(AtomicLong::new);

    private StatementCounter() {
    }

    static long count() {
        return COUNT.get().get();
    }

    static DataSource wrap(DataSource target) {
        java.util.Queue<Connection> idle = new java.util.concurrent.ConcurrentLinkedQueue<>();
        return (DataSource) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        Connection physical = idle.poll();
                        return connection(physical != null ? physical : (Connection) invoke(target, method, args),
                                idle);
                    }
                    return invoke(target, method, args);
                });
    }

    private static Connection connection(Connection target, java.util.Queue<Connection> idle) {
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(StatementCounter.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("close")) {
                        if (closed.compareAndSet(false, true)) {
                            if (!target.getAutoCommit()) {
                                target.rollback();
                                target.setAutoCommit(true);
                            }
                            idle.offer(target);
                        }
                        return null;
                    }
                    if (name.equals("isClosed")) {
                        return closed.get();
                    }
                    if (name.equals("prepareStatement") || name.equals("createStatement")
                            || name.equals("prepareCall")) {
                        COUNT.get().incrementAndGet();
                    }
                    if (name.equals("unwrap") && args[0] == Connection.class) {
                        return proxy;
                    }
                    return invoke(target, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
