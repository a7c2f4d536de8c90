package org.merpati.ejb.mailauth.dkim;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Canonicalizes a body as it streams through (RFC 6376 sections 3.4.3 and 3.4.4). Lines end at LF (a bare LF
 * counts as CRLF); empty lines are held back and written only when a non-empty line follows, so that the empty
 * lines at the end of the body are dropped without buffering the body. {@link #close()} ends the body (and does
 * not close the sink).
 */
public abstract class BodyCanonicalizer extends OutputStream {

    private static final byte[] CRLF = {'\r', '\n'};

    protected final OutputStream sink;
    private long pendingEmptyLines;
    private boolean pendingCr;
    private boolean closed;
    private boolean wroteLine;

    protected BodyCanonicalizer(OutputStream sink) {
        this.sink = sink;
    }

    @Override
    public void write(int b) throws IOException {
        if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
                endLine();
                return;
            }
            content('\r');
        }
        if (b == '\r') {
            pendingCr = true;
        } else if (b == '\n') {
            endLine();
        } else {
            content(b & 0xff);
        }
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (pendingCr) {
            pendingCr = false;
            content('\r');
        }
        if (lineHasContent()) {
            endLine();
        }
        finishBody();
    }

    /** Flushes the sink (after {@link #close()}: everything canonical has been written to it). */
    public void flushSink() throws IOException {
        sink.flush();
    }

    /** One byte of line content (CR and LF never come here as line ends). */
    protected abstract void content(int b) throws IOException;

    /** Whether the current line holds content that must be written; called at the end of a line. */
    protected abstract boolean lineHasContent();

    /** Called at the end of each line; writes the line's held back end and resets per-line state. */
    protected abstract void resetLine();

    /** What an empty body canonicalizes to. */
    protected abstract void finishBody() throws IOException;

    /** Writes the empty lines held back, before a line with content. */
    protected final void flushEmptyLines() throws IOException {
        for (; pendingEmptyLines > 0; pendingEmptyLines--) {
            sink.write(CRLF);
        }
    }

    private void endLine() throws IOException {
        if (lineHasContent()) {
            sink.write(CRLF);
            wroteLine = true;
        } else {
            pendingEmptyLines++;
        }
        resetLine();
    }

    /** Whether any line with content was written. */
    protected final boolean wroteAnyLine() {
        return wroteLine;
    }
}
