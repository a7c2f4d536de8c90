package org.merpati.connector.ra;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkAdapter;
import jakarta.resource.spi.work.WorkEvent;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

import org.merpati.connector.endpoint.EndpointDispatcher;

/** Dispatches listener calls of one activation to message endpoints, each as {@code scheduleWork}. */
final class WorkManagerDispatcher<L> implements EndpointDispatcher<L> {

    private final WorkManager workManager;
    private final MessageEndpointFactory factory;
    private final Class<L> listenerType;

    WorkManagerDispatcher(WorkManager workManager, MessageEndpointFactory factory, Class<L> listenerType) {
        this.workManager = workManager;
        this.factory = factory;
        this.listenerType = listenerType;
    }

    @Override
    public <T> CompletableFuture<T> call(Function<? super L, ? extends T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            workManager.scheduleWork(new EndpointWork<>(factory, listenerType, call, result), WorkManager.INDEFINITE, null,
                new WorkAdapter() {
                    @Override
                    public void workRejected(WorkEvent e) {
                        // a full pool: the client gets 451 and retries later
                        result.completeExceptionally(e.getException() != null ? e.getException() : new WorkException("work rejected"));
                    }
                });
        } catch (WorkException e) {
            result.completeExceptionally(e);
        }
        return result;
    }
}
