package org.merpati.ejb.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header fields of one entity, unfolded (CRLF before continuation whitespace removed) but otherwise raw.
 * Bounded: beyond {@link #MAX_KEPT_CHARS} characters further fields are skipped, so a hostile header cannot
 * exhaust memory.
 */
final class HeaderBlock {

    static final int MAX_KEPT_CHARS = 256 * 1024;

    private final List<String[]> fields = new ArrayList<>();
    private int keptChars;
    private StringBuilder current;

    void addLine(Line line) {
        if (line.startsWithWhitespace() && current != null) {
            current.append(decode(line.content()));
            return;
        }
        finishField();
        current = new StringBuilder(decode(line.content()));
    }

    void finish() {
        finishField();
    }

    private void finishField() {
        if (current == null) {
            return;
        }
        String text = current.toString();
        current = null;
        int colon = text.indexOf(':');
        if (colon <= 0 || keptChars + text.length() > MAX_KEPT_CHARS) {
            return; // not a field (or over the bound): ignored like any lenient reader does
        }
        String name = text.substring(0, colon).trim();
        String value = text.substring(colon + 1);
        // one leading space is the conventional separator, not part of the value
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        keptChars += text.length();
        fields.add(new String[] {name, value});
    }

    /** The first value of the field, or null. */
    String get(String name) {
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase(name)) {
                return field[1];
            }
        }
        return null;
    }

    String getLower(String name) {
        String value = get(name);
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    /** Headers are ASCII, or UTF-8 under RFC 6532; anything else is read as Latin-1 rather than lost. */
    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }
}
