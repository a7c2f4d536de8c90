package org.merpati.connector.imap.proto;

import java.nio.file.Path;

/**
 * What an {@link ImapSession} needs from its connection. The Netty channel handler implements it; all
 * methods are called on the session's thread (the channel's event loop).
 */
public interface ImapTransport {

    /** Queues response bytes; nothing is sent before a flush. */
    void write(byte[] bytes);

    /** Queues {@code length} bytes of a stored message file from {@code offset}, streamed, never loaded whole. */
    void writeFile(Path file, long offset, long length);

    /**
     * Queues a range of a stored message decoded from its transfer encoding (BINARY), skipping {@code skip}
     * decoded bytes and sending {@code length} after that.
     */
    void writeDecoded(Path file, long offset, long rawLength, String encoding, long skip, long length);

    /** Sends everything queued. */
    void flush();

    /** Sends everything queued and runs {@code whenSent} on the session thread once it has left (backpressure). */
    void flush(Runnable whenSent);

    /** Stops reading input while a command runs (pipelined commands wait in the socket). */
    void pauseInput();

    void resumeInput();

    /** Runs {@code task} on the session thread after a delay (authentication failure throttling). */
    void schedule(long delayMillis, Runnable task);

    /** Runs {@code task} on the session thread soon (change notifications arrive on other threads). */
    void execute(Runnable task);

    /** Called after the tagged OK to STARTTLS was flushed: the next bytes are the client's handshake. */
    void startTls();

    /** Called after the tagged OK to COMPRESS was flushed (RFC 4978). */
    void startCompression();

    /** The client authenticated: switch to the longer idle timeout. */
    void authenticated();

    /** Flushes and closes. */
    void close();
}
