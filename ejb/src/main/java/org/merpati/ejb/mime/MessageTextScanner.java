package org.merpati.ejb.mime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.apache.james.mime4j.util.CharsetUtil;
import org.merpati.connector.api.access.BodyPart;

/**
 * Case-insensitive substring search in a stored message for IMAP SEARCH HEADER, BODY and TEXT, without
 * loading it: headers are read up to their blank line (bounded), bodies are streamed part by part using the
 * cached offsets, with quoted-printable/base64 and the part's charset decoded and RFC 2047 words in headers
 * decoded. Only text parts (and the headers of attached messages) are searched; binary attachments are not.
 */
public final class MessageTextScanner {

    /** Header bytes read per entity: a header larger than this is searched only up to here. */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    private final Path blob;

    public MessageTextScanner(Path blob) {
        this.blob = blob;
    }

    /** The top-level header fields, unfolded, as (name, decoded value) pairs in order. */
    public List<String[]> headerFields() throws IOException {
        return headerFields(0);
    }

    /**
     * Whether a header field named {@code field} (any case) contains {@code needle} (any case); an empty
     * needle matches when the field is present.
     */
    public boolean headerContains(String field, String needle) throws IOException {
        String lowerNeedle = needle.toLowerCase(Locale.ROOT);
        for (String[] f : headerFields(0)) {
            if (f[0].equalsIgnoreCase(field) && f[1].toLowerCase(Locale.ROOT).contains(lowerNeedle)) {
                return true;
            }
        }
        return false;
    }

    /** SEARCH BODY: the text parts (and headers of attached messages). */
    public boolean bodyContains(BodyPart root, String needle) throws IOException {
        if (needle.isEmpty()) {
            return true;
        }
        MatchSink sink = new MatchSink(needle);
        walkBody(root, sink);
        return sink.found;
    }

    /** SEARCH TEXT: the header and the body. */
    public boolean textContains(BodyPart root, String needle) throws IOException {
        if (needle.isEmpty()) {
            return true;
        }
        MatchSink sink = new MatchSink(needle);
        if (walkHeader(sink)) {
            walkBody(root, sink);
        }
        return sink.found;
    }

    /**
     * Receives what SEARCH looks at, in the order the scanner reads it. Searching and indexing both walk
     * through here, so the index sees exactly the text the scanner would compare.
     */
    public interface TextSink {

        /** One header field as {@code name: value}, unfolded and RFC 2047-decoded; false stops the walk. */
        boolean headerField(String field);

        /** A new body text part begins (text never runs on from one part into the next). */
        void partStart();

        /** One character of body text, decoded, not case-folded; false stops the walk. */
        boolean text(char c);
    }

    /** Feeds the top-level header fields (what TEXT adds to BODY). @return false when the sink stopped */
    public boolean walkHeader(TextSink sink) throws IOException {
        for (String[] f : headerFields(0)) {
            if (!sink.headerField(f[0] + ": " + f[1])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Feeds what BODY searches: the decoded text parts and the header fields of attached messages; without
     * a structure, the raw body as ISO-8859-1. @return false when the sink stopped
     */
    public boolean walkBody(BodyPart root, TextSink sink) throws IOException {
        if (root == null) {
            sink.partStart();
            return walkRaw(headerEnd(0), Long.MAX_VALUE, sink);
        }
        return walkPart(root, sink);
    }

    private boolean walkPart(BodyPart part, TextSink sink) throws IOException {
        if (part.isMultipart()) {
            for (BodyPart child : part.parts()) {
                if (!walkPart(child, sink)) {
                    return false;
                }
            }
            return true;
        }
        if (part.message() != null) {
            for (String[] f : headerFields(part.message().headerOffset())) {
                if (!sink.headerField(f[0] + ": " + f[1])) {
                    return false;
                }
            }
            return walkPart(part.message(), sink);
        }
        if (!"text".equals(part.type())) {
            return true;
        }
        sink.partStart();
        try (InputStream raw = slice(part.bodyOffset(), part.size());
             Reader reader = new InputStreamReader(decoded(raw, part.encoding()), charset(part))) {
            return feed(reader, sink);
        }
    }

    private boolean walkRaw(long offset, long length, TextSink sink) throws IOException {
        try (Reader reader = new InputStreamReader(slice(offset, length), StandardCharsets.ISO_8859_1)) {
            return feed(reader, sink);
        }
    }

    private static boolean feed(Reader reader, TextSink sink) throws IOException {
        char[] buffer = new char[8192];
        int n;
        while ((n = reader.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                if (!sink.text(buffer[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Stops at the first header field or body text containing the needle. */
    private static final class MatchSink implements TextSink {

        private final Matcher matcher;
        private boolean found;

        MatchSink(String needle) {
            this.matcher = new Matcher(needle);
        }

        @Override
        public boolean headerField(String field) {
            found = field.toLowerCase(Locale.ROOT).contains(matcher.needle);
            return !found;
        }

        @Override
        public void partStart() {
            matcher.reset();
        }

        @Override
        public boolean text(char c) {
            found = matcher.feed(c);
            return !found;
        }
    }

    private static InputStream decoded(InputStream raw, String encoding) {
        String e = encoding == null ? "" : encoding.toLowerCase(Locale.ROOT);
        return switch (e) {
            case "quoted-printable" -> new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT);
            case "base64" -> new Base64InputStream(raw, DecodeMonitor.SILENT);
            default -> raw;
        };
    }

    private static Charset charset(BodyPart part) {
        String name = part.params().get("charset");
        if (name != null) {
            Charset charset = CharsetUtil.lookup(name.trim());
            if (charset != null) {
                return charset;
            }
        }
        return StandardCharsets.UTF_8;
    }

    private InputStream slice(long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(blob, StandardOpenOption.READ);
        channel.position(offset);
        InputStream in = Channels.newInputStream(channel);
        return new BufferedInputStream(new BoundedInputStream(in, length), 64 * 1024);
    }

    /** Offset just after the blank line that ends the header starting at {@code offset}. */
    private long headerEnd(long offset) throws IOException {
        long pos = offset;
        try (InputStream in = slice(offset, MAX_HEADER_BYTES)) {
            int b;
            boolean lineStart = true;
            while ((b = in.read()) != -1) {
                pos++;
                if (b == '\n') {
                    if (lineStart) {
                        return pos;
                    }
                    lineStart = true;
                } else if (!(b == '\r' && lineStart)) {
                    lineStart = false;
                }
            }
        }
        return pos;
    }

    private List<String[]> headerFields(long offset) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (InputStream in = slice(offset, MAX_HEADER_BYTES)) {
            boolean lineStart = true;
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n' && lineStart) {
                    break;
                }
                if (b == '\r' && lineStart) {
                    continue;
                }
                bytes.write(b);
                lineStart = b == '\n';
            }
        }
        String text = decodeHeaderBytes(bytes.toByteArray());
        List<String[]> fields = new ArrayList<>();
        StringBuilder current = null;
        for (String line : text.split("\r?\n")) {
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(line);
                continue;
            }
            addField(fields, current);
            current = new StringBuilder(line);
        }
        addField(fields, current);
        return fields;
    }

    private static void addField(List<String[]> fields, StringBuilder field) {
        if (field == null) {
            return;
        }
        String s = field.toString();
        int colon = s.indexOf(':');
        if (colon <= 0) {
            return;
        }
        fields.add(new String[] {s.substring(0, colon).trim(), decodeWords(s.substring(colon + 1).trim())});
    }

    /** RFC 2047 encoded words decoded; an undecodable value is kept raw. */
    public static String decodeWords(String value) {
        if (value == null) {
            return null;
        }
        try {
            return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static String decodeHeaderBytes(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** Streaming case-insensitive substring match (Knuth-Morris-Pratt over lower-cased characters). */
    static final class Matcher {

        final String needle;
        private final int[] failure;
        private int matched;

        Matcher(String needle) {
            this.needle = needle.toLowerCase(Locale.ROOT);
            this.failure = new int[this.needle.length()];
            for (int i = 1, k = 0; i < this.needle.length(); i++) {
                while (k > 0 && this.needle.charAt(i) != this.needle.charAt(k)) {
                    k = failure[k - 1];
                }
                if (this.needle.charAt(i) == this.needle.charAt(k)) {
                    k++;
                }
                failure[i] = k;
            }
        }

        void reset() {
            matched = 0;
        }

        boolean feed(char c) {
            char lower = Character.toLowerCase(c);
            while (matched > 0 && needle.charAt(matched) != lower) {
                matched = failure[matched - 1];
            }
            if (needle.charAt(matched) == lower) {
                matched++;
            }
            if (matched == needle.length()) {
                matched = failure[matched - 1];
                return true;
            }
            return false;
        }
    }

    /** Reads at most {@code remaining} bytes. */
    private static final class BoundedInputStream extends InputStream {

        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
