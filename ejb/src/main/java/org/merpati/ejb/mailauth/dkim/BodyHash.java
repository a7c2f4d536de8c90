package org.merpati.ejb.mailauth.dkim;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 of a canonicalized body, fed as the body streams. With a length limit ({@code l=}), only the first
 * {@code limit} canonical bytes are hashed; the full canonical length is still counted so that a verifier can
 * tell a limit larger than the body.
 */
public final class BodyHash {

    private final MessageDigest digest;
    private final long limit;
    private final BodyCanonicalizer canonicalizer;
    private long length;
    private byte[] result;

    /** @param limit the {@code l=} value, or -1 for the whole body */
    public BodyHash(Canonicalization canonicalization, long limit) {
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.limit = limit;
        this.canonicalizer = canonicalization.body(new OutputStream() {
            // canonicalizers write byte by byte; the digest is fed in blocks
            private final byte[] buffer = new byte[8192];
            private int used;

            @Override
            public void write(int b) {
                if (used == buffer.length) {
                    flush();
                }
                buffer[used++] = (byte) b;
            }

            @Override
            public void write(byte[] bytes, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    write(bytes[i]);
                }
            }

            @Override
            public void flush() {
                if (limit < 0) {
                    digest.update(buffer, 0, used);
                } else if (length < limit) {
                    digest.update(buffer, 0, (int) Math.min(used, limit - length));
                }
                length += used;
                used = 0;
            }
        });
    }

    /** Feeds raw body bytes. */
    public void update(byte[] bytes, int off, int len) throws IOException {
        canonicalizer.write(bytes, off, len);
    }

    /** Ends the body; returns the hash. */
    public byte[] finish() throws IOException {
        if (result == null) {
            canonicalizer.close();
            canonicalizer.flushSink();
            result = digest.digest();
        }
        return result;
    }

    /** The canonical body length (valid after {@link #finish()}). */
    public long canonicalLength() {
        return length;
    }

    public long limit() {
        return limit;
    }
}
