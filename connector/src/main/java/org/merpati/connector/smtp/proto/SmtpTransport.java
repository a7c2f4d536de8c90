package org.merpati.connector.smtp.proto;

/**
 * What a session needs from the connection it runs on. The Netty channel handler implements it; tests
 * implement it with a string buffer. All methods are called on the session's own thread.
 */
public interface SmtpTransport {

    /** Queues reply text (already encoded, CRLF included); nothing is sent before {@link #flush}. */
    void write(String text);

    /** Sends everything queued. */
    void flush();

    /** Stops delivering input while the session waits for the endpoint (pipelined commands wait in the socket). */
    void pauseInput();

    /** Delivers input again. */
    void resumeInput();

    /**
     * Switches the connection to TLS. Called after the 220 reply to STARTTLS has been flushed; the next bytes
     * received must be the client's handshake. The transport reports success with {@link SmtpSession#tlsStarted}
     * and closes the connection on failure.
     */
    void startTls();

    /**
     * Runs {@code task} on the session's thread after {@code delayMillis}, without blocking a thread meanwhile
     * (the answer to a failed AUTH waits this way).
     */
    void schedule(long delayMillis, Runnable task);

    /** Flushes and closes the connection. */
    void close();
}
