package org.merpati.connector.ra;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.Work;

/**
 * One listener call as WorkManager work: create an endpoint, invoke, release in {@code finally} (the Payara
 * Cloud-Connectors {@code MQTTWork.run} habit). No beforeDelivery/afterDelivery: each listener method runs in
 * the container-managed transaction of the MDB method itself.
 */
final class EndpointWork<L, T> implements Work {

    private final transient MessageEndpointFactory factory;
    private final Class<L> listenerType;
    private final transient Function<? super L, ? extends T> call;
    private final transient CompletableFuture<T> result;

    EndpointWork(MessageEndpointFactory factory, Class<L> listenerType, Function<? super L, ? extends T> call,
                 CompletableFuture<T> result) {
        this.factory = factory;
        this.listenerType = listenerType;
        this.call = call;
        this.result = result;
    }

    @Override
    public void run() {
        MessageEndpoint endpoint = null;
        try {
            endpoint = factory.createEndpoint(null);
            result.complete(call.apply(listenerType.cast(endpoint)));
        } catch (Exception e) {
            result.completeExceptionally(e);
        } catch (Error e) {
            result.completeExceptionally(e);
            throw e;
        } finally {
            if (endpoint != null) {
                endpoint.release();
            }
        }
    }

    @Override
    public void release() {
        // a running endpoint call is not interruptible; the container waits for it
    }
}
