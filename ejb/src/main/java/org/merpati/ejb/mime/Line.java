package org.merpati.ejb.mime;

import java.nio.charset.StandardCharsets;

/**
 * One line of a message as the scanner saw it.
 *
 * @param start              byte offset of the first byte of the line
 * @param content            the line without its terminator, truncated to {@link LineReader#MAX_KEPT} bytes
 * @param length             the full length without the terminator (may exceed {@code content.length})
 * @param terminator         2 for CRLF, 1 for a bare LF, 0 at the end of input
 * @param precedingTerminator the terminator length of the line before this one (0 for the first line); it
 *                           belongs to a boundary that starts this line (RFC 2046 section 5.1.1)
 */
record Line(long start, byte[] content, int length, int terminator, int precedingTerminator) {

    long end() {
        return start + length + terminator;
    }

    boolean isBlank() {
        return length == 0;
    }

    boolean startsWithWhitespace() {
        return length > 0 && (content[0] == ' ' || content[0] == '\t');
    }

    String ascii() {
        return new String(content, StandardCharsets.ISO_8859_1);
    }
}
