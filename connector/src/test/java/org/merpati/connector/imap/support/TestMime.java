package org.merpati.connector.imap.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.merpati.connector.api.access.Address;
import org.merpati.connector.api.access.BodyPart;
import org.merpati.connector.api.access.MessageEnvelope;

/**
 * A tiny test-only MIME structure builder: parses a CRLF message into the api's {@link BodyPart} tree with
 * byte offsets, and its {@link MessageEnvelope}. Just enough for the transcript tests (no encoded words, no
 * RFC 2231, no header folding beyond simple continuation lines).
 */
public final class TestMime {

    private TestMime() {
    }

    public static BodyPart structure(byte[] message) {
        return entity(message, 0, message.length, "text/plain");
    }

    public static MessageEnvelope envelope(byte[] message) {
        Map<String, String> h = headers(message, 0, headerEnd(message, 0, message.length));
        List<Address> from = addresses(h.get("from"));
        return new MessageEnvelope(h.get("date"), h.get("subject"), from, from, from, addresses(h.get("to")),
            addresses(h.get("cc")), addresses(h.get("bcc")), h.get("in-reply-to"), h.get("message-id"));
    }

    private static BodyPart entity(byte[] m, int start, int end, String defaultType) {
        int bodyStart = headerEnd(m, start, end);
        Map<String, String> h = headers(m, start, bodyStart);
        String ct = h.getOrDefault("content-type", defaultType);
        String[] typeAndParams = ct.split(";", 2);
        String[] type = typeAndParams[0].trim().toLowerCase(Locale.ROOT).split("/", 2);
        Map<String, String> params = params(typeAndParams.length > 1 ? typeAndParams[1] : "");
        String encoding = h.getOrDefault("content-transfer-encoding", "7bit").trim().toLowerCase(Locale.ROOT);
        String disposition = null;
        Map<String, String> dispositionParams = Map.of();
        if (h.containsKey("content-disposition")) {
            String[] d = h.get("content-disposition").split(";", 2);
            disposition = d[0].trim().toLowerCase(Locale.ROOT);
            dispositionParams = params(d.length > 1 ? d[1] : "");
        }
        long size = end - bodyStart;
        long lines = countLines(m, bodyStart, end);
        List<BodyPart> parts = new ArrayList<>();
        MessageEnvelope innerEnvelope = null;
        BodyPart inner = null;
        if (type[0].equals("multipart")) {
            String boundary = "--" + params.get("boundary");
            List<int[]> ranges = split(m, bodyStart, end, boundary.getBytes(StandardCharsets.US_ASCII));
            String childDefault = type[1].equals("digest") ? "message/rfc822" : "text/plain";
            for (int[] r : ranges) {
                parts.add(entity(m, r[0], r[1], childDefault));
            }
        } else if (type[0].equals("message") && type[1].equals("rfc822")) {
            byte[] sub = java.util.Arrays.copyOfRange(m, bodyStart, end);
            innerEnvelope = envelope(sub);
            inner = entity(m, bodyStart, end, "text/plain");
        }
        return new BodyPart(type[0], type.length > 1 ? type[1] : "plain", params, h.get("content-id"),
            h.get("content-description"), encoding, size, lines, null, disposition, dispositionParams, null, null, start,
            bodyStart, parts, innerEnvelope, inner);
    }

    private static long countLines(byte[] m, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            if (m[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Index just after the blank line ending the header at {@code start} (or {@code end}). */
    private static int headerEnd(byte[] m, int start, int end) {
        if (end - start >= 2 && m[start] == '\r' && m[start + 1] == '\n') {
            return start + 2; // no header at all
        }
        for (int i = start; i + 3 < end; i++) {
            if (m[i] == '\r' && m[i + 1] == '\n' && m[i + 2] == '\r' && m[i + 3] == '\n') {
                return i + 4;
            }
        }
        return end;
    }

    private static Map<String, String> headers(byte[] m, int start, int end) {
        String text = new String(m, start, end - start, StandardCharsets.UTF_8).replaceAll("\r\n[ \t]+", " ");
        Map<String, String> h = new LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                h.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        return h;
    }

    private static Map<String, String> params(String text) {
        Map<String, String> p = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("\\s*([^=;\\s]+)\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)").matcher(text);
        while (matcher.find()) {
            p.put(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(3) != null ? matcher.group(3) : matcher.group(2));
        }
        return p;
    }

    /** Ranges of the parts between boundary lines (the CRLF before a boundary belongs to it). */
    private static List<int[]> split(byte[] m, int start, int end, byte[] boundary) {
        List<Integer> lines = new ArrayList<>();
        List<Boolean> closing = new ArrayList<>();
        for (int i = start; i < end; i++) {
            boolean atLineStart = i == start || m[i - 1] == '\n';
            if (atLineStart && matches(m, i, boundary)) {
                lines.add(i);
                int after = i + boundary.length;
                closing.add(after + 1 < end && m[after] == '-' && m[after + 1] == '-');
            }
        }
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k + 1 < lines.size(); k++) {
            int partStart = lineEnd(m, lines.get(k), end);
            int partEnd = lines.get(k + 1) - 2; // CRLF before the next boundary
            out.add(new int[] {partStart, Math.max(partStart, partEnd)});
            if (closing.get(k)) {
                break;
            }
        }
        return out;
    }

    private static int lineEnd(byte[] m, int i, int end) {
        while (i < end && m[i] != '\n') {
            i++;
        }
        return Math.min(i + 1, end);
    }

    private static boolean matches(byte[] m, int at, byte[] what) {
        if (at + what.length > m.length) {
            return false;
        }
        for (int i = 0; i < what.length; i++) {
            if (m[at + i] != what[i]) {
                return false;
            }
        }
        return true;
    }

    private static List<Address> addresses(String value) {
        List<Address> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String one : value.split(",")) {
            one = one.trim();
            String name = null;
            String addr = one;
            int lt = one.indexOf('<');
            if (lt >= 0) {
                name = one.substring(0, lt).trim().replaceAll("^\"|\"$", "");
                addr = one.substring(lt + 1, one.indexOf('>', lt));
                if (name.isEmpty()) {
                    name = null;
                }
            }
            int at = addr.indexOf('@');
            out.add(new Address(name, null, at < 0 ? addr : addr.substring(0, at), at < 0 ? null : addr.substring(at + 1)));
        }
        return out;
    }
}
