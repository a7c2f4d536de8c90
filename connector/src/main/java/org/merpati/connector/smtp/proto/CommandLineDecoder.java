package org.merpati.connector.smtp.proto;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Frames command lines with strict CRLF. A bare CR or bare LF is a protocol violation (the same leniency that
 * makes SMTP smuggling possible in DATA also lets one client line be read as two commands), and so is a line
 * longer than the limit. Either is reported once, as soon as it is seen, and the rest of that line up to the
 * next real CRLF is discarded, so the next command starts at a line boundary both sides agree on.
 */
public final class CommandLineDecoder {

    /** What one call found. */
    public sealed interface Result {
        /** A complete line without its CRLF. */
        record Line(byte[] bytes) implements Result {
        }

        /** The current line exceeds the limit; it is being discarded. */
        record TooLong() implements Result {
        }

        /** The current line holds a bare CR or LF; it is being discarded. */
        record BareLineEnding() implements Result {
        }
    }

    private final int maxLength;
    private byte[] line = new byte[128];
    private int length;
    private boolean sawCr;
    private boolean discarding;

    /** @param maxLength the longest command line in octets, not counting CRLF */
    public CommandLineDecoder(int maxLength) {
        this.maxLength = maxLength;
    }

    /**
     * Consumes bytes from {@code in} up to and including the next event.
     *
     * @return the event, or null when {@code in} is exhausted without one
     */
    public Result decode(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (sawCr) {
                sawCr = false;
                if (b == '\n') {
                    if (discarding) {
                        discarding = false;
                        length = 0;
                        continue;
                    }
                    byte[] out = Arrays.copyOf(line, length);
                    length = 0;
                    return new Result.Line(out);
                }
                if (!discarding) {
                    return startDiscarding(in);
                }
            }
            if (b == '\r') {
                sawCr = true;
            } else if (b == '\n') {
                if (!discarding) {
                    discarding = true;
                    return new Result.BareLineEnding();
                }
            } else if (!discarding) {
                if (length == maxLength) {
                    discarding = true;
                    return new Result.TooLong();
                }
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLength, line.length * 2));
                }
                line[length++] = b;
            }
        }
        return null;
    }

    /** Enters discard mode after a bare CR whose follower byte still has to be looked at. */
    private Result startDiscarding(ByteBuffer in) {
        discarding = true;
        in.position(in.position() - 1); // let the follower be seen again: it may be the CR of the real CRLF
        return new Result.BareLineEnding();
    }

    /** Forgets any partial line (after STARTTLS, whatever came in clear text must not survive). */
    public void reset() {
        length = 0;
        sawCr = false;
        discarding = false;
    }
}
