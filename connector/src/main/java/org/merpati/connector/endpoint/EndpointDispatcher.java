package org.merpati.connector.endpoint;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs one call on a message listener away from the calling (event loop) thread.
 *
 * @param <L> the listener interface
 */
@FunctionalInterface
public interface EndpointDispatcher<L> {

    /**
     * Schedules {@code call} on a listener instance. The future completes, on whatever thread ran the call, with
     * its result or with the exception it threw (or the scheduling failure).
     */
    <T> CompletableFuture<T> call(Function<? super L, ? extends T> call);
}
