package org.merpati.connector.smtp.proto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.merpati.connector.api.MailDeliveryListener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.spool.SpoolDirectory;

/**
 * Drives an {@link SmtpSession} from strings, like a client on a socket: {@link #send} returns what the server
 * flushed in answer. The dispatcher runs listener calls inline unless {@link #deferCalls} is set, in which case
 * they wait in {@link #deferred} until the test completes them.
 */
final class SessionHarness implements SmtpTransport {

    final RecordingListener listener = new RecordingListener();
    final SmtpSession session;
    final List<String> flushes = new ArrayList<>();
    final Deque<Runnable> deferred = new ArrayDeque<>();
    boolean deferCalls;
    boolean closed;
    boolean paused;
    int tlsStarts;
    /** Delays the session asked for, in order; the tasks run at once unless {@link #deferTimers} is set. */
    final List<Long> delays = new ArrayList<>();
    final Deque<Runnable> timers = new ArrayDeque<>();
    boolean deferTimers;
    private final StringBuilder buffer = new StringBuilder();
    private int read;

    SessionHarness(SmtpSessionConfig config, Path spoolDir) {
        EndpointDispatcher<MailDeliveryListener> dispatcher = new EndpointDispatcher<>() {
            @Override
            public <T> CompletableFuture<T> call(Function<? super MailDeliveryListener, ? extends T> call) {
                CompletableFuture<T> f = new CompletableFuture<>();
                Runnable run = () -> {
                    try {
                        f.complete(call.apply(listener));
                    } catch (RuntimeException e) {
                        f.completeExceptionally(e);
                    }
                };
                if (deferCalls) {
                    deferred.add(run);
                } else {
                    run.run();
                }
                return f;
            }
        };
        session = new SmtpSession(config, new ConnectionInfo("s1", "192.0.2.7", 40000, "127.0.0.1", 25), this,
            dispatcher, Runnable::run, new SpoolDirectory(spoolDir));
        session.start();
    }

    static SmtpSessionConfig smtp() {
        return new SmtpSessionConfig("mx.example", false, 512, 10_000, 3, 5, false, true);
    }

    static SmtpSessionConfig lmtp() {
        return new SmtpSessionConfig("lmtp.example", true, 512, 10_000, 3, 5, false, false);
    }

    /** Sends client bytes (ISO-8859-1 so any octet can be written) and returns everything flushed since last time. */
    String send(String text) {
        session.receive(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
        return output();
    }

    String sendUtf8(String text) {
        session.receive(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        return output();
    }

    /** Flushed output not yet returned. */
    String output() {
        String flushed = String.join("", flushes);
        String out = flushed.substring(read);
        read = flushed.length();
        return out;
    }

    /** Runs the oldest deferred listener call. */
    void completeNext() {
        deferred.removeFirst().run();
    }

    @Override
    public void write(String text) {
        buffer.append(text);
    }

    @Override
    public void flush() {
        if (buffer.length() > 0) {
            flushes.add(buffer.toString());
            buffer.setLength(0);
        }
    }

    @Override
    public void pauseInput() {
        paused = true;
    }

    @Override
    public void resumeInput() {
        paused = false;
    }

    @Override
    public void schedule(long delayMillis, Runnable task) {
        delays.add(delayMillis);
        if (deferTimers) {
            timers.add(task);
        } else {
            task.run();
        }
    }

    /** Fires the oldest deferred timer. */
    void fireNextTimer() {
        timers.removeFirst().run();
    }

    @Override
    public void startTls() {
        tlsStarts++;
    }

    @Override
    public void close() {
        flush();
        closed = true;
    }
}
