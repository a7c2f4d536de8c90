package org.merpati.ejb.mailauth.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A DKIM tag list (RFC 6376 section 3.2): {@code tag=value} pairs separated by semicolons, whitespace around
 * tags, equals signs and values ignored. Values keep inner whitespace (base64 values strip it themselves). Each
 * tag's position in the source is kept so that a signature's {@code b=} value can be blanked in place.
 */
public final class TagList {

    /** Where a tag's value sits in the parsed text: from just after '=' to just before ';' or the end. */
    public record Span(int start, int end) {
    }

    private final Map<String, String> values;
    private final Map<String, Span> spans;

    private TagList(Map<String, String> values, Map<String, Span> spans) {
        this.values = Collections.unmodifiableMap(values);
        this.spans = Collections.unmodifiableMap(spans);
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException on a malformed list or a duplicate tag (both make a signature or key
     *                                  record unusable)
     */
    public static TagList parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Span> spans = new LinkedHashMap<>();
        int pos = 0;
        int length = text.length();
        while (pos < length) {
            int semicolon = text.indexOf(';', pos);
            int end = semicolon < 0 ? length : semicolon;
            String spec = text.substring(pos, end);
            if (!spec.isBlank()) {
                int equals = spec.indexOf('=');
                if (equals < 0) {
                    throw new IllegalArgumentException("tag without '=': " + spec.strip());
                }
                String name = stripFws(spec.substring(0, equals));
                if (!isTagName(name)) {
                    throw new IllegalArgumentException("bad tag name: " + name);
                }
                if (values.containsKey(name)) {
                    throw new IllegalArgumentException("duplicate tag: " + name);
                }
                values.put(name, stripFws(spec.substring(equals + 1)));
                spans.put(name, new Span(pos + equals + 1, end));
            }
            pos = end + 1;
        }
        return new TagList(values, spans);
    }

    public String get(String tag) {
        return values.get(tag);
    }

    public boolean has(String tag) {
        return values.containsKey(tag);
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** The source position of {@code tag}'s value, or null. */
    public Span span(String tag) {
        return spans.get(tag);
    }

    /** A base64 value with all whitespace (folding) removed. */
    public static String compactBase64(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String stripFws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isFws(s.charAt(start))) {
            start++;
        }
        while (end > start && isFws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isTagName(String name) {
        if (name.isEmpty() || !Character.isLetter(name.charAt(0)) || name.charAt(0) > 127) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 127 || !(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
