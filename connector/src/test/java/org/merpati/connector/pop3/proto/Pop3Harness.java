package org.merpati.connector.pop3.proto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

import org.merpati.connector.api.access.Pop3Listener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.pop3.FakePop3Listener;
import org.merpati.connector.smtp.proto.ConnectionInfo;

/**
 * A session wired to a string transport and a synchronous dispatcher: what the client writes goes in, what the
 * server would send comes out, message streams are drained at once and failed-login delays only recorded.
 */
final class Pop3Harness implements Pop3Transport {

    final StringBuilder out = new StringBuilder();
    final List<Long> delays = new ArrayList<>();
    final Pop3Session session;
    boolean closed;
    boolean aborted;
    int tlsStarts;
    boolean inputPaused;
    private int read;

    /** Listener calls not yet run, when the dispatcher is deferred. */
    final java.util.ArrayDeque<Runnable> pendingCalls = new java.util.ArrayDeque<>();

    Pop3Harness(Pop3SessionConfig config, Pop3Listener listener) {
        this(config, listener, false);
    }

    /** @param deferred whether listener calls wait for {@link #runPendingCalls} (as on a real WorkManager) */
    Pop3Harness(Pop3SessionConfig config, Pop3Listener listener, boolean deferred) {
        EndpointDispatcher<Pop3Listener> dispatcher = new EndpointDispatcher<>() {
            @Override
            public <T> CompletableFuture<T> call(Function<? super Pop3Listener, ? extends T> call) {
                if (deferred) {
                    CompletableFuture<T> later = new CompletableFuture<>();
                    pendingCalls.add(() -> {
                        try {
                            later.complete(call.apply(listener));
                        } catch (RuntimeException e) {
                            later.completeExceptionally(e);
                        }
                    });
                    return later;
                }
                try {
                    return CompletableFuture.completedFuture(call.apply(listener));
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        };
        session = new Pop3Session(config, new ConnectionInfo("test-1", "192.0.2.7", 40000, "192.0.2.1", 110), this,
            dispatcher, Runnable::run);
    }

    /** A plaintext-allowed, STLS-offering config with instant failed-login delays. */
    static Pop3SessionConfig config(boolean allowPlaintext, boolean startTls) {
        return new Pop3SessionConfig("pop.test", 255, 20, 3, 1000, allowPlaintext, startTls);
    }

    static Pop3Harness connected(Pop3SessionConfig config, FakePop3Listener listener) {
        Pop3Harness h = new Pop3Harness(config, listener);
        h.session.start();
        h.take();
        return h;
    }

    /** Sends raw client bytes; returns what the server wrote since the last call. */
    String send(String raw) {
        session.receive(ByteBuffer.wrap(raw.getBytes(StandardCharsets.UTF_8)));
        return take();
    }

    /** Sends one command line (CRLF added). */
    String command(String line) {
        return send(line + "\r\n");
    }

    /** Runs the waiting listener calls one by one (each may queue the next); returns the output. */
    String runPendingCalls() {
        while (!pendingCalls.isEmpty()) {
            pendingCalls.poll().run();
        }
        return take();
    }

    String take() {
        String s = out.substring(read);
        read = out.length();
        return s;
    }

    @Override
    public void write(String text) {
        if (closed) {
            throw new IllegalStateException("write after close: " + text);
        }
        out.append(text);
    }

    @Override
    public void flush() {
    }

    @Override
    public void pauseInput() {
        inputPaused = true;
    }

    @Override
    public void resumeInput() {
        inputPaused = false;
    }

    @Override
    public void send(MessageStream body, Consumer<Boolean> whenDone) {
        try (body) {
            byte[] chunk;
            while ((chunk = body.next()) != null) {
                out.append(new String(chunk, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        whenDone.accept(true);
    }

    @Override
    public void schedule(long delayMillis, Runnable task) {
        delays.add(delayMillis);
        task.run();
    }

    @Override
    public void startTls() {
        tlsStarts++;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void abort() {
        closed = true;
        aborted = true;
    }
}
