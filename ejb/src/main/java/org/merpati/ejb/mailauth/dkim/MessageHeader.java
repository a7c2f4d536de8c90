package org.merpati.ejb.mailauth.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The header block of a message, read from a stream that is left at the first body byte. Bare LF line ends are
 * taken as CRLF (the canonical form DKIM hashes). A leading mbox "From " line is skipped.
 */
public final class MessageHeader {

    /** The default cap on the header block held in memory. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private final List<HeaderField> fields;

    public MessageHeader(List<HeaderField> fields) {
        this.fields = List.copyOf(fields);
    }

    /** The fields in message order (top first). */
    public List<HeaderField> fields() {
        return fields;
    }

    /** Fields named {@code name}, in message order. */
    public List<HeaderField> all(String name) {
        List<HeaderField> found = new ArrayList<>();
        for (HeaderField field : fields) {
            if (field.hasName(name)) {
                found.add(field);
            }
        }
        return Collections.unmodifiableList(found);
    }

    /** Parses a header block given as text (tests, and signatures prepended to a file). */
    public static MessageHeader parse(String text) {
        try {
            return read(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), Integer.MAX_VALUE);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads up to and including the empty line that ends the header block (or to the end of the stream).
     *
     * @throws HeaderTooLargeException past {@code maxBytes}
     */
    public static MessageHeader read(InputStream in, int maxBytes) throws IOException {
        List<HeaderField> fields = new ArrayList<>();
        StringBuilder current = null;
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        long total = 0;
        boolean first = true;
        while (true) {
            line.reset();
            boolean ended = readLine(in, line, maxBytes);
            total += line.size() + 2;
            if (total > maxBytes) {
                throw new HeaderTooLargeException(maxBytes);
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            if (text.isEmpty()) {
                break;
            }
            if (first && isMboxSeparator(text)) {
                first = false;
                continue;
            }
            first = false;
            char c = text.charAt(0);
            if ((c == ' ' || c == '\t') && current != null) {
                current.append("\r\n").append(text);
            } else {
                if (current != null) {
                    fields.add(HeaderField.of(current.toString()));
                }
                current = new StringBuilder(text);
            }
            if (!ended) {
                break;
            }
        }
        if (current != null) {
            fields.add(HeaderField.of(current.toString()));
        }
        return new MessageHeader(fields);
    }

    /** "From sender date" starts an mbox entry; "From : x" (obsolete syntax) is a field. */
    private static boolean isMboxSeparator(String line) {
        int colon = line.indexOf(':');
        return line.startsWith("From ") && (colon < 0 || !HeaderField.stripTrailingWsp(line.substring(0, colon)).equals("From"));
    }

    /** Reads one line without its CRLF or LF; false at end of stream without a line end. */
    private static boolean readLine(InputStream in, ByteArrayOutputStream line, int maxBytes) throws IOException {
        int b;
        while ((b = in.read()) != -1) {
            if (line.size() >= maxBytes) {
                throw new HeaderTooLargeException(maxBytes);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                    line.reset();
                    line.write(bytes, 0, bytes.length - 1);
                }
                return true;
            }
            line.write(b);
        }
        return false;
    }
}
