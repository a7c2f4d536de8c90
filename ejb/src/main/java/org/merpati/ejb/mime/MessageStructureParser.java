package org.merpati.ejb.mime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteSequence;
import org.apache.james.mime4j.util.ContentUtil;
import org.apache.james.mime4j.util.MimeParameterMapping;

/**
 * One streaming pass over a message: builds the {@link MimePart} tree (multiparts, message/rfc822 recursion)
 * and the cached header values. Only header fields and a few counters are kept in memory; bodies are
 * counted, never stored. Nesting is bounded by {@link #MAX_DEPTH}: deeper parts are treated as opaque.
 */
public final class MessageStructureParser {

    static final int MAX_DEPTH = 32;
    private static final String[] ENVELOPE_FIELDS = {
        "date", "subject", "from", "sender", "reply-to", "to", "cc", "bcc", "in-reply-to", "message-id"};

    private MessageStructureParser() {
    }

    /** Parses the message; the caller closes the stream. */
    public static ParsedMessage parse(InputStream message) throws IOException {
        LineReader reader = new LineReader(new BufferedInputStream(message, 64 * 1024));
        HeaderBlock[] rootHeaders = new HeaderBlock[1];
        MimePart root = parseEntity(reader, new ArrayDeque<>(), false, 0, rootHeaders);
        HeaderBlock headers = rootHeaders[0];
        String subject = headers.get("subject");
        return new ParsedMessage(
                subject == null ? null : decodeWords(subject.trim()),
                trimmed(headers.get("from")), trimmed(headers.get("to")), trimmed(headers.get("message-id")),
                trimmed(headers.get("date")),
                envelopeJson(headers), bodyStructureJson(root), root);
    }

    private static MimePart parseEntity(LineReader reader, Deque<String> boundaries, boolean digest, int depth,
                                        HeaderBlock[] headersOut) throws IOException {
        MimePart part = new MimePart();
        part.headerOffset = reader.position();
        HeaderBlock headers = readHeaders(reader, boundaries);
        headersOut[0] = headers;
        part.bodyOffset = reader.position();
        long bodyFirstLine = reader.lineCount();
        describe(part, headers, digest);

        String boundary = part.params.get("boundary");
        Line stop;
        if (part.isMultipart() && boundary != null && !boundary.isEmpty() && depth < MAX_DEPTH) {
            stop = parseMultipart(reader, boundaries, boundary, part, depth);
        } else if (part.isMessage() && isIdentityEncoding(part.encoding) && depth < MAX_DEPTH) {
            HeaderBlock[] nested = new HeaderBlock[1];
            part.message = parseEntity(reader, boundaries, false, depth + 1, nested);
            part.messageHeaders = nested[0];
            stop = peekBoundary(reader);
        } else {
            stop = skipToBoundary(reader, boundaries);
        }
        long end = stop == null ? reader.position() : Math.max(part.bodyOffset, stop.start() - stop.precedingTerminator());
        part.size = end - part.bodyOffset;
        part.lines = part.size == 0 ? 0 : reader.lineCount() - bodyFirstLine;
        return part;
    }

    /**
     * Reads preamble, children and epilogue of a multipart.
     *
     * @return the enclosing boundary line that ended it (pushed back), or null at the end of input
     */
    private static Line parseMultipart(LineReader reader, Deque<String> boundaries, String boundary, MimePart part,
                                       int depth) throws IOException {
        boundaries.push(boundary);
        try {
            Line line = skipToBoundary(reader, boundaries); // the preamble
            boolean digest = "digest".equals(part.subtype);
            while (line != null) {
                Delimiter delimiter = classify(line, boundaries);
                if (delimiter.level != 0) {
                    return line; // an enclosing boundary ends this multipart early; still pushed back
                }
                reader.next(); // consume our delimiter line
                if (delimiter.closing) {
                    break;
                }
                part.parts.add(parseEntity(reader, boundaries, digest, depth + 1, new HeaderBlock[1]));
                line = peekBoundary(reader);
            }
        } finally {
            boundaries.pop();
        }
        return skipToBoundary(reader, boundaries); // the epilogue
    }

    /** Consumes lines up to a delimiter of any enclosing multipart, which is pushed back and returned. */
    private static Line skipToBoundary(LineReader reader, Deque<String> boundaries) throws IOException {
        Line line;
        while ((line = reader.next()) != null) {
            if (!boundaries.isEmpty() && classify(line, boundaries) != null) {
                reader.pushBack(line);
                return line;
            }
        }
        return null;
    }

    private static Line peekBoundary(LineReader reader) throws IOException {
        Line line = reader.next();
        if (line != null) {
            reader.pushBack(line);
        }
        return line;
    }

    private static HeaderBlock readHeaders(LineReader reader, Deque<String> boundaries) throws IOException {
        HeaderBlock headers = new HeaderBlock();
        Line line;
        while ((line = reader.next()) != null) {
            if (line.isBlank()) {
                break;
            }
            if (!boundaries.isEmpty() && classify(line, boundaries) != null) {
                reader.pushBack(line); // a part without a body: its boundary comes right after the header
                break;
            }
            headers.addLine(line);
        }
        headers.finish();
        return headers;
    }

    /** Which boundary (0 = innermost) the line delimits, or null when it is not a delimiter line. */
    private static Delimiter classify(Line line, Deque<String> boundaries) {
        if (line.length() < 2 || line.content()[0] != '-' || line.content()[1] != '-') {
            return null;
        }
        String text = line.ascii();
        int level = 0;
        for (Iterator<String> it = boundaries.iterator(); it.hasNext(); level++) {
            String boundary = it.next();
            if (!text.startsWith(boundary, 2)) {
                continue;
            }
            String rest = text.substring(2 + boundary.length());
            boolean closing = rest.startsWith("--");
            if (closing) {
                rest = rest.substring(2);
            }
            if (rest.isBlank()) { // transport padding (RFC 2046) may follow the delimiter
                return new Delimiter(level, closing);
            }
        }
        return null;
    }

    private record Delimiter(int level, boolean closing) {
    }

    private static void describe(MimePart part, HeaderBlock headers, boolean digest) {
        String contentType = headers.get("content-type");
        RawBody type = contentType == null ? null : parseStructured(contentType);
        String value = type == null ? "" : type.getValue().trim().toLowerCase(Locale.ROOT);
        int slash = value.indexOf('/');
        if (slash > 0 && slash < value.length() - 1) {
            part.type = value.substring(0, slash).trim();
            part.subtype = value.substring(slash + 1).trim();
            part.params.putAll(parameters(type.getParams()));
        } else {
            // RFC 2045 section 5.2 default, or RFC 2046 section 5.1.5 inside multipart/digest
            part.type = digest ? "message" : "text";
            part.subtype = digest ? "rfc822" : "plain";
            if (!digest) {
                part.params.put("charset", "us-ascii");
            }
        }
        String encoding = headers.getLower("content-transfer-encoding");
        part.encoding = encoding == null || encoding.isEmpty() ? "7bit" : encoding;
        part.id = trimmed(headers.get("content-id"));
        part.description = trimmed(headers.get("content-description"));
        part.md5 = trimmed(headers.get("content-md5"));
        part.language = trimmed(headers.get("content-language"));
        part.location = trimmed(headers.get("content-location"));
        String disposition = headers.get("content-disposition");
        if (disposition != null) {
            RawBody parsed = parseStructured(disposition);
            part.disposition = parsed.getValue().trim().toLowerCase(Locale.ROOT);
            part.dispositionParams.putAll(parameters(parsed.getParams()));
        }
    }

    private static RawBody parseStructured(String value) {
        ByteSequence bytes = ContentUtil.encode(StandardCharsets.UTF_8, value);
        return RawFieldParser.DEFAULT.parseRawBody(bytes, new ParserCursor(0, bytes.length()));
    }

    /** Parameter names in lower case; RFC 2231 continuations and charset'language'value decoded by mime4j. */
    private static Map<String, String> parameters(List<NameValuePair> pairs) {
        MimeParameterMapping mapping = new MimeParameterMapping();
        for (NameValuePair pair : pairs) {
            if (pair.getValue() != null) {
                mapping.addParameter(pair.getName().toLowerCase(Locale.ROOT), pair.getValue());
            }
        }
        return mapping.getParameters();
    }

    private static boolean isIdentityEncoding(String encoding) {
        return encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary");
    }

    private static String decodeWords(String value) {
        try {
            return DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    static String envelopeJson(HeaderBlock headers) {
        StringBuilder out = new StringBuilder(256);
        out.append('{');
        for (int i = 0; i < ENVELOPE_FIELDS.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            Json.field(out, ENVELOPE_FIELDS[i], trimmed(headers.get(ENVELOPE_FIELDS[i])));
        }
        return out.append('}').toString();
    }

    static String bodyStructureJson(MimePart root) {
        StringBuilder out = new StringBuilder(512);
        writePart(out, root);
        return out.toString();
    }

    private static void writePart(StringBuilder out, MimePart part) {
        out.append('{');
        Json.field(out, "type", part.type);
        out.append(',');
        Json.field(out, "subtype", part.subtype);
        out.append(",\"params\":");
        Json.object(out, part.params);
        out.append(',');
        Json.field(out, "id", part.id);
        out.append(',');
        Json.field(out, "description", part.description);
        out.append(',');
        Json.field(out, "encoding", part.encoding);
        out.append(',');
        Json.field(out, "md5", part.md5);
        out.append(',');
        Json.field(out, "disposition", part.disposition);
        out.append(",\"dispositionParams\":");
        Json.object(out, part.disposition == null ? null : part.dispositionParams);
        out.append(',');
        Json.field(out, "language", part.language);
        out.append(',');
        Json.field(out, "location", part.location);
        out.append(',');
        Json.field(out, "headerOffset", part.headerOffset);
        out.append(',');
        Json.field(out, "bodyOffset", part.bodyOffset);
        out.append(',');
        Json.field(out, "size", part.size);
        out.append(',');
        Json.field(out, "lines", part.lines);
        if (part.isMultipart()) {
            out.append(",\"parts\":[");
            for (int i = 0; i < part.parts.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                writePart(out, part.parts.get(i));
            }
            out.append(']');
        }
        if (part.message != null) {
            out.append(",\"message\":{\"envelope\":").append(envelopeJson(part.messageHeaders));
            out.append(",\"body\":");
            writePart(out, part.message);
            out.append('}');
        }
        out.append('}');
    }
}
