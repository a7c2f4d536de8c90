package org.merpati.connector.imap.proto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the References header field of a stored message for THREAD=REFERENCES (RFC 5256). The cached envelope
 * has no References, so the header block is read from the message file, bounded: only the first
 * {@link #MAX_HEADER_BYTES} bytes are looked at, and a field cut by that bound is ignored rather than half used.
 */
final class ReferencesReader {

    /** How much of a message's header block is read at most. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final Pattern MSG_ID = Pattern.compile("<([^<>]*)>");

    private ReferencesReader() {
    }

    /** The unfolded References value of the message file, or null when absent, beyond the bound or unreadable. */
    static String references(Path file) {
        if (file == null) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return references(in, MAX_HEADER_BYTES);
        } catch (IOException | RuntimeException e) {
            return null; // the caller falls back to In-Reply-To
        }
    }

    /** The unfolded value of the first References field within the first {@code maxBytes} of the header block. */
    static String references(InputStream in, int maxBytes) throws IOException {
        byte[] header = headerBlock(in, maxBytes);
        boolean complete = complete(header);
        String text = new String(header, StandardCharsets.ISO_8859_1);
        List<String> fields = unfold(text);
        if (!complete && !fields.isEmpty()) {
            fields.remove(fields.size() - 1); // cut by the bound: its value may be incomplete
        }
        for (String field : fields) {
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase("References")) {
                return field.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** The msg-ids of a References or In-Reply-To value in order, without angle brackets; invalid ones skipped. */
    static List<String> messageIds(String value) {
        List<String> ids = new ArrayList<>();
        if (value == null) {
            return ids;
        }
        Matcher m = MSG_ID.matcher(value);
        while (m.find()) {
            String id = m.group(1).replaceAll("\\s+", "");
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    // the header block up to and including its terminating empty line, or the first maxBytes bytes
    private static byte[] headerBlock(InputStream in, int maxBytes) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(4096);
        InputStream buffered = in instanceof java.io.BufferedInputStream ? in : new java.io.BufferedInputStream(in, 8192);
        int previous = -1;
        int beforePrevious = -1;
        for (int count = 0; count < maxBytes; count++) {
            int b = buffered.read();
            if (b < 0) {
                out.write('\n'); // end of file ends the header too
                out.write('\n');
                break;
            }
            out.write(b);
            if (b == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'))) {
                break;
            }
            beforePrevious = previous;
            previous = b;
        }
        return out.toByteArray();
    }

    private static boolean complete(byte[] header) {
        int n = header.length;
        return n >= 2 && header[n - 1] == '\n' && (header[n - 2] == '\n' || (n >= 3 && header[n - 2] == '\r' && header[n - 3] == '\n'));
    }

    // logical header fields, continuation lines joined (RFC 5322 section 2.2.3)
    private static List<String> unfold(String text) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(line);
            } else {
                if (current != null) {
                    fields.add(current.toString());
                }
                current = new StringBuilder(line);
            }
        }
        if (current != null) {
            fields.add(current.toString());
        }
        return fields;
    }
}
