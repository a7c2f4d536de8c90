package org.merpati.connector.pop3.proto;

import java.util.Arrays;

/**
 * Turns a stored message into the body of a multi-line response (RFC 1939 section 3), chunk by chunk: a "."
 * is doubled at the start of every line, a bare LF becomes CRLF, and {@link #finish} ends the last line and
 * adds the terminating ".". For TOP it stops after the header, the blank line and the requested number of
 * body lines. Holds no more than the chunk it is given.
 */
public final class DotStuffingEncoder {

    /** Every line of the message. */
    public static final int ALL_LINES = -1;

    private final int bodyLines;
    private boolean lineStart = true;
    private boolean lineEmpty = true;
    private boolean previousCr;
    private boolean inBody;
    private int bodyLinesLeft;
    private boolean stopped;

    /** @param bodyLines body lines to send after the header (TOP), or {@link #ALL_LINES} (RETR) */
    public DotStuffingEncoder(int bodyLines) {
        if (bodyLines < ALL_LINES) {
            throw new IllegalArgumentException("bodyLines: " + bodyLines);
        }
        this.bodyLines = bodyLines;
        this.bodyLinesLeft = bodyLines;
    }

    /**
     * Encodes {@code length} bytes of the message.
     *
     * @return the bytes to send (possibly empty once TOP has what it needs)
     */
    public byte[] encode(byte[] in, int offset, int length) {
        byte[] out = new byte[length * 2];
        int n = 0;
        for (int i = offset; i < offset + length && !stopped; i++) {
            byte b = in[i];
            if (lineStart && b == '.') {
                out[n++] = '.';
            }
            if (b == '\n') {
                if (!previousCr) {
                    out[n++] = '\r';
                }
                out[n++] = '\n';
                endOfLine();
            } else {
                out[n++] = b;
                lineStart = false;
                if (b != '\r') {
                    lineEmpty = false;
                }
            }
            previousCr = b == '\r';
        }
        return Arrays.copyOf(out, n);
    }

    private void endOfLine() {
        if (inBody) {
            if (bodyLines != ALL_LINES) {
                bodyLinesLeft--;
            }
        } else if (lineEmpty) {
            inBody = true; // the blank line between header and body belongs to the header part of TOP
        }
        lineStart = true;
        lineEmpty = true;
        if (inBody && bodyLines != ALL_LINES && bodyLinesLeft == 0) {
            stopped = true;
        }
    }

    /** Whether TOP has sent all it was asked for; the rest of the message need not be read. */
    public boolean isComplete() {
        return stopped;
    }

    /** The end of the response: a CRLF if the message did not end with one, then ".CRLF". */
    public byte[] finish() {
        stopped = true;
        if (lineStart) {
            return new byte[] {'.', '\r', '\n'};
        }
        return previousCr ? new byte[] {'\n', '.', '\r', '\n'} : new byte[] {'\r', '\n', '.', '\r', '\n'};
    }
}
