package org.merpati.ejb.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines, tracking absolute offsets, with one line of push-back. Memory is bounded
 * by {@link #MAX_KEPT} per line: longer lines are measured but not kept (nothing structural hides there).
 */
final class LineReader {

    static final int MAX_KEPT = 8 * 1024;

    private final InputStream in;
    private final byte[] keep = new byte[MAX_KEPT];
    private long position;
    private long lineCount;
    private int lastTerminator;
    private Line pushedBack;

    /** @param in a buffered stream: it is read one byte at a time */
    LineReader(InputStream in) {
        this.in = in;
    }

    /** Offset of the next unread byte (a pushed-back line counts as unread). */
    long position() {
        return pushedBack != null ? pushedBack.start() : position;
    }

    /** Lines consumed so far (a pushed-back line is not counted). */
    long lineCount() {
        return pushedBack != null ? lineCount - 1 : lineCount;
    }

    void pushBack(Line line) {
        if (pushedBack != null) {
            throw new IllegalStateException("one line of push-back only");
        }
        pushedBack = line;
    }

    /** @return the next line, or null at the end of input */
    Line next() throws IOException {
        if (pushedBack != null) {
            Line line = pushedBack;
            pushedBack = null;
            return line;
        }
        long start = position;
        int kept = 0;
        int length = 0;
        int terminator = 0;
        boolean sawAny = false;
        boolean pendingCr = false;
        int b;
        while ((b = in.read()) != -1) {
            sawAny = true;
            position++;
            if (b == '\n') {
                terminator = pendingCr ? 2 : 1;
                pendingCr = false;
                break;
            }
            if (pendingCr) {
                // a bare CR inside the line: it is content
                if (kept < MAX_KEPT) {
                    keep[kept++] = '\r';
                }
                length++;
            }
            if (b == '\r') {
                pendingCr = true;
                continue;
            }
            if (kept < MAX_KEPT) {
                keep[kept++] = (byte) b;
            }
            length++;
        }
        if (!sawAny) {
            return null;
        }
        if (pendingCr) {
            if (kept < MAX_KEPT) {
                keep[kept++] = '\r';
            }
            length++;
        }
        lineCount++;
        Line line = new Line(start, Arrays.copyOf(keep, kept), length, terminator, lastTerminator);
        lastTerminator = terminator;
        return line;
    }
}
