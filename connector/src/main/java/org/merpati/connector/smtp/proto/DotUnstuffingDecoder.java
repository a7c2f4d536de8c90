package org.merpati.connector.smtp.proto;

import java.nio.ByteBuffer;

/**
 * Decodes the DATA content of RFC 5321 section 4.5.2: removes dot-stuffing and finds the end of data, which is
 * only ever CRLF "." CRLF. Line endings are strict: a bare LF or bare CR anywhere is recorded as a violation
 * and never starts a new line, so {@code \n.\n}, {@code \n.\r\n}, {@code \r.\r} and {@code \r\n.\n} cannot end
 * the data (SMTP smuggling, CVE-2023-51764 and kin). After a violation the decoder keeps scanning to the real
 * end so the client and server stay in step; the caller then throws the message away.
 *
 * <p>Incremental: bytes may arrive split anywhere, including inside CRLF or the terminator.
 */
public final class DotUnstuffingDecoder {

    private enum State {
        /** After CRLF (or at the very start): a '.' here is stuffing or the terminator. */
        LINE_START,
        /** Inside a line. */
        MID,
        /** Saw CR; it is held back until we know whether LF follows. */
        CR,
        /** Saw '.' at line start. */
        DOT,
        /** Saw '.' CR at line start. */
        DOT_CR
    }

    private static final int OUT_SIZE = 8192;

    private final byte[] out = new byte[OUT_SIZE];
    private int outLength;
    private State state = State.LINE_START;
    private ByteSink sink;
    private boolean violation;

    /**
     * Consumes bytes up to and including the end-of-data line, writing message bytes to {@code sink}.
     *
     * @return true when the terminator was consumed; bytes after it stay in {@code in}
     */
    public boolean decode(ByteBuffer in, ByteSink sink) {
        this.sink = sink;
        try {
            while (in.hasRemaining()) {
                byte b = in.get();
                switch (state) {
                    case LINE_START -> {
                        if (b == '.') {
                            state = State.DOT;
                        } else {
                            mid(b);
                        }
                    }
                    case MID -> mid(b);
                    case CR -> {
                        if (b == '\n') {
                            emit((byte) '\r');
                            emit((byte) '\n');
                            state = State.LINE_START;
                        } else {
                            violation = true; // the held CR was bare
                            emit((byte) '\r');
                            mid(b);
                        }
                    }
                    case DOT -> {
                        // the leading dot of a stuffed line is dropped (RFC 5321 4.5.2)
                        if (b == '\r') {
                            state = State.DOT_CR;
                        } else {
                            mid(b);
                        }
                    }
                    case DOT_CR -> {
                        if (b == '\n') {
                            state = State.LINE_START;
                            return true;
                        }
                        violation = true;
                        mid(b);
                    }
                    default -> throw new IllegalStateException(state.name());
                }
            }
            return false;
        } finally {
            flush();
            this.sink = null;
        }
    }

    /** A byte inside a line: CR is held, LF alone is a violation and does not start a line. */
    private void mid(byte b) {
        if (b == '\r') {
            state = State.CR;
        } else {
            if (b == '\n') {
                violation = true;
            }
            emit(b);
            state = State.MID;
        }
    }

    private void emit(byte b) {
        out[outLength++] = b;
        if (outLength == OUT_SIZE) {
            flush();
        }
    }

    private void flush() {
        if (outLength > 0) {
            sink.write(out, 0, outLength);
            outLength = 0;
        }
    }

    /** Whether a bare CR or LF was seen in this message: the message must then be refused. */
    public boolean violation() {
        return violation;
    }
}
