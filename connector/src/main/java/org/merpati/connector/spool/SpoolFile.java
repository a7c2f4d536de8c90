package org.merpati.connector.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One message being written to disk through a {@link FileChannel}. Write errors are remembered rather than
 * thrown, because they surface on an event loop in the middle of a client's DATA: the session keeps reading
 * to the end of data and then answers 451.
 */
public final class SpoolFile {

    private static final Logger LOG = Logger.getLogger(SpoolFile.class.getName());

    private final Path path;
    private FileChannel channel;
    private long size;
    private IOException failure;

    SpoolFile(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    public void write(byte[] bytes, int offset, int length) {
        if (failure != null || channel == null) {
            return;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes, offset, length);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            size += length;
        } catch (IOException e) {
            failure = e;
            LOG.log(Level.WARNING, "cannot write spool file " + path, e);
        }
    }

    /** Closes the file for writing; the endpoint reads it by path. @return false if any write failed */
    public boolean finish() {
        closeChannel();
        return failure == null;
    }

    /** Closes and deletes the file; safe to call more than once. */
    public void delete() {
        closeChannel();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete spool file " + path, e);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
            channel = null;
        }
    }
}
