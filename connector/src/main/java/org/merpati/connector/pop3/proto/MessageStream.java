package org.merpati.connector.pop3.proto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The multi-line body of a RETR or TOP response, read from the stored message a chunk at a time and
 * byte-stuffed on the way, so a message of any size costs one chunk of memory. The network layer pulls
 * chunks while the connection is writable and closes the stream when done or on failure.
 */
public final class MessageStream implements AutoCloseable {

    /** Bytes read from the file per chunk. */
    public static final int CHUNK_SIZE = 16 * 1024;

    private final ReadableByteChannel source;
    private final DotStuffingEncoder encoder;
    private final ByteBuffer buffer;
    private boolean ended;
    private long produced;

    /** @param bodyLines body lines for TOP, or {@link DotStuffingEncoder#ALL_LINES} */
    public MessageStream(ReadableByteChannel source, int bodyLines) {
        this(source, bodyLines, CHUNK_SIZE);
    }

    MessageStream(ReadableByteChannel source, int bodyLines, int chunkSize) {
        this.source = source;
        this.encoder = new DotStuffingEncoder(bodyLines);
        this.buffer = ByteBuffer.allocate(chunkSize);
    }

    /**
     * The next non-empty chunk; the last one ends with the terminating ".CRLF".
     *
     * @return null after the end was returned
     */
    public byte[] next() throws IOException {
        while (!ended) {
            byte[] chunk;
            buffer.clear();
            int read = encoder.isComplete() ? -1 : source.read(buffer);
            if (read < 0) {
                ended = true;
                close();
                chunk = encoder.finish();
            } else {
                chunk = encoder.encode(buffer.array(), 0, read);
            }
            if (chunk.length > 0) {
                produced += chunk.length;
                return chunk;
            }
        }
        return null;
    }

    public boolean isEnded() {
        return ended;
    }

    /** Bytes handed out so far. */
    public long produced() {
        return produced;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
