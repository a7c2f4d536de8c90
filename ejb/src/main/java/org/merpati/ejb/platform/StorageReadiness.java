package org.merpati.ejb.platform;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the schema has been migrated and validated. Listener endpoints are activated when the deployment
 * starts, possibly before {@link SchemaMigrator} has finished; they ask here and answer 4xx until it has.
 * A static holder on purpose: it is per deployment (per class loader) and costs no container call.
 */
public final class StorageReadiness {

    /** The lifecycle of the storage layer in this deployment. */
    public enum State { STARTING, READY, FAILED }

    private static final AtomicReference<State> STATE = new AtomicReference<>(State.STARTING);
    private static volatile String problem = "storage is starting";

    private StorageReadiness() {
    }

    public static boolean isReady() {
        return STATE.get() == State.READY;
    }

    public static State state() {
        return STATE.get();
    }

    /** @return why storage is not ready, or null when it is */
    public static String problem() {
        return isReady() ? null : problem;
    }

    static void ready() {
        problem = null;
        STATE.set(State.READY);
    }

    static void failed(String why) {
        problem = why;
        STATE.set(State.FAILED);
    }

    static void starting() {
        problem = "storage is starting";
        STATE.set(State.STARTING);
    }
}
