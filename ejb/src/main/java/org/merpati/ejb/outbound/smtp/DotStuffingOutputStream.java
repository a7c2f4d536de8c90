package org.merpati.ejb.outbound.smtp;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Turns a stored message into the DATA stream of RFC 5321 section 4.5.2: a line that begins with a dot gets a
 * second one, every line ends in CRLF (a bare LF or bare CR becomes CRLF — SMTP has no other line ending, and
 * a signed message was signed in its CRLF form), and {@link #finish()} ends the last line if it is open and
 * writes the terminating {@code .CRLF}. All other bytes pass unchanged, so a DKIM signature over the stored
 * file stays valid. {@link #close()} finishes but leaves the connection's stream open.
 */
public final class DotStuffingOutputStream extends FilterOutputStream {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'.', '\r', '\n'};

    private boolean atLineStart = true;
    private boolean pendingCr;
    private boolean finished;

    public DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) {
            throw new IOException("the message has been finished");
        }
        int end = off + len;
        int runStart = off; // bytes [runStart, i) pass unchanged and are written in one call
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (pendingCr) {
                pendingCr = false;
                out.write(CRLF);
                atLineStart = true;
                if (c == '\n') {
                    runStart = i + 1;
                    continue;
                }
                runStart = i;
            }
            if (c == '\r') {
                out.write(b, runStart, i - runStart);
                pendingCr = true;
                runStart = i + 1;
            } else if (c == '\n') {
                out.write(b, runStart, i - runStart);
                out.write(CRLF);
                atLineStart = true;
                runStart = i + 1;
            } else {
                if (atLineStart && c == '.') {
                    out.write(b, runStart, i - runStart);
                    out.write('.');
                    runStart = i; // the original dot follows in the run
                }
                atLineStart = false;
            }
        }
        out.write(b, runStart, end - runStart);
    }

    /** Ends the last line if needed and writes the end-of-data line; flushes. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        if (pendingCr) {
            out.write(CRLF);
            pendingCr = false;
            atLineStart = true;
        }
        if (!atLineStart) {
            out.write(CRLF);
        }
        out.write(END);
        out.flush();
        finished = true;
    }

    @Override
    public void close() throws IOException {
        finish();
    }
}
