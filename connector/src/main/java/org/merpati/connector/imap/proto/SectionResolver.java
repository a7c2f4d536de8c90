package org.merpati.connector.imap.proto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.merpati.connector.api.access.BodyPart;

/**
 * Finds the bytes of a BODY[section] in the stored message using the offsets of the {@link BodyPart} tree,
 * so nothing is parsed again: a section is either a byte range of the blob or, for HEADER.FIELDS, the
 * matching header lines read from the (small) header range.
 */
public final class SectionResolver {

    /** Reads a byte range of the stored message (a header, never a body). */
    @FunctionalInterface
    public interface RangeReader {
        byte[] read(long offset, int length) throws IOException;
    }

    /** Where a section's content is. */
    public sealed interface Content {
        long length();

        /** A range of the stored message. */
        record Range(long offset, long length) implements Content {
        }

        /** Bytes assembled in memory (HEADER.FIELDS). */
        record Bytes(byte[] bytes) implements Content {
            @Override
            public long length() {
                return bytes.length;
            }
        }
    }

    /** Largest header read into memory for HEADER.FIELDS; longer headers are cut (never seen in real mail). */
    static final int MAX_HEADER = 1 << 20;

    private SectionResolver() {
    }

    /**
     * The entity a part path names: numbers descend into multiparts and, after the first, into
     * encapsulated messages; part 1 of a non-multipart entity is the entity itself. Null if there is none.
     */
    public static BodyPart part(BodyPart root, List<Integer> path) {
        BodyPart current = root;
        boolean first = true;
        for (int n : path) {
            if (!first && current.isMessage()) {
                current = current.message();
            }
            first = false;
            if (current.isMultipart()) {
                if (n < 1 || n > current.parts().size()) {
                    return null;
                }
                current = current.parts().get(n - 1);
            } else if (n != 1) {
                return null;
            }
        }
        return current;
    }

    /**
     * The content of a section, or null when the message has no such section.
     *
     * @param root        the message's root entity
     * @param messageSize size of the stored message
     */
    public static Content resolve(BodyPart root, long messageSize, BodySection section, RangeReader reader) throws IOException {
        if (section.path().isEmpty()) {
            return text(root, 0, messageSize, section, reader, true);
        }
        BodyPart part = part(root, section.path());
        if (part == null) {
            return null;
        }
        if (section.text() == null) {
            return new Content.Range(part.bodyOffset(), part.size());
        }
        if ("MIME".equals(section.text())) {
            return new Content.Range(part.headerOffset(), part.bodyOffset() - part.headerOffset());
        }
        if (!part.isMessage()) {
            return null; // HEADER and TEXT of a part need an encapsulated message
        }
        return text(part.message(), part.message().headerOffset(), part.endOffset(), section, reader, false);
    }

    private static Content text(BodyPart entity, long start, long end, BodySection section, RangeReader reader, boolean top)
        throws IOException {
        long headerStart = top ? 0 : entity.headerOffset();
        long headerLength = entity.bodyOffset() - headerStart;
        if (section.text() == null) {
            return new Content.Range(start, end - start);
        }
        return switch (section.text()) {
            case "HEADER" -> new Content.Range(headerStart, headerLength);
            case "TEXT" -> new Content.Range(entity.bodyOffset(), end - entity.bodyOffset());
            case "HEADER.FIELDS", "HEADER.FIELDS.NOT" -> {
                byte[] header = reader.read(headerStart, (int) Math.min(headerLength, MAX_HEADER));
                yield new Content.Bytes(filterFields(header, section.fields(), section.text().endsWith(".NOT")));
            }
            default -> null;
        };
    }

    /**
     * The header lines whose field name is (or, with {@code not}, is not) in {@code names}, continuation
     * lines included, followed by the blank line that ends a header.
     */
    public static byte[] filterFields(byte[] header, List<String> names, boolean not) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        boolean keep = false;
        while (i < header.length) {
            int eol = i;
            while (eol < header.length && header[eol] != '\n') {
                eol++;
            }
            int next = Math.min(eol + 1, header.length);
            int contentEnd = eol > i && header[eol - 1] == '\r' ? eol - 1 : eol;
            if (contentEnd == i) {
                break; // the blank line: end of header
            }
            if (header[i] == ' ' || header[i] == '\t') {
                if (keep) {
                    write(out, header, i, contentEnd);
                }
            } else {
                int colon = i;
                while (colon < contentEnd && header[colon] != ':') {
                    colon++;
                }
                String name = new String(header, i, colon - i, StandardCharsets.ISO_8859_1).strip().toUpperCase(Locale.ROOT);
                keep = colon < contentEnd && names.contains(name) != not;
                if (keep) {
                    write(out, header, i, contentEnd);
                }
            }
            i = next;
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, byte[] b, int from, int to) {
        out.write(b, from, to - from);
        out.write('\r');
        out.write('\n');
    }
}
