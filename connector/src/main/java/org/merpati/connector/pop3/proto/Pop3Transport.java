package org.merpati.connector.pop3.proto;

import java.util.function.Consumer;

/**
 * What a POP3 session needs from its connection. The Netty channel handler implements it; tests implement it
 * with a buffer. Every method is called on the session's thread, and every callback runs there.
 */
public interface Pop3Transport {

    /** Queues reply text (CRLF included); nothing is sent before {@link #flush}. */
    void write(String text);

    /** Sends everything queued. */
    void flush();

    /** Stops delivering input while the session waits (pipelined commands wait in the socket). */
    void pauseInput();

    /** Delivers input again. */
    void resumeInput();

    /**
     * Sends a multi-line message body after what is queued, pulling chunks as the connection drains, then
     * closes the stream and calls {@code whenDone} with whether all of it was written.
     */
    void send(MessageStream body, Consumer<Boolean> whenDone);

    /** Runs {@code task} on the session's thread after {@code delayMillis} (never blocks a thread meanwhile). */
    void schedule(long delayMillis, Runnable task);

    /**
     * Switches to TLS. Called after the +OK to STLS has been flushed; the session learns the outcome through
     * {@link Pop3Session#tlsStarted}, and the transport closes the connection if the handshake fails.
     */
    void startTls();

    /** Flushes and closes the connection. */
    void close();

    /** Closes the connection at once, dropping whatever is still queued (a stalled message body). */
    void abort();
}
