package org.merpati.ejb.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A DNS record the administrator should publish for a mail domain.
 *
 * @param name    the owner name, without the trailing dot
 * @param type    MX or TXT
 * @param value   the record data (for TXT the text, unsplit; for MX "preference host.")
 * @param purpose what it is for: mx, spf, dmarc or dkim
 */
public record DnsRecordView(String name, String type, String value, String purpose) {

    /** TXT character-strings are at most 255 bytes (RFC 1035 section 3.3): longer texts are split. */
    public static final int MAX_STRING = 255;

    /** The TXT value as the character-strings to publish, each at most 255 characters. */
    public List<String> strings() {
        List<String> strings = new ArrayList<>();
        if (!"TXT".equals(type)) {
            return List.of(value);
        }
        for (int i = 0; i < value.length(); i += MAX_STRING) {
            strings.add(value.substring(i, Math.min(value.length(), i + MAX_STRING)));
        }
        return strings.isEmpty() ? List.of("") : strings;
    }

    /** One line of a zone file (RFC 1035 master file format). */
    public String zoneLine() {
        StringBuilder line = new StringBuilder(name).append(".\tIN\t").append(type).append('\t');
        if ("TXT".equals(type)) {
            List<String> strings = strings();
            if (strings.size() > 1) {
                line.append("( ");
            }
            for (int i = 0; i < strings.size(); i++) {
                line.append(i > 0 ? " " : "").append('"').append(strings.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
            }
            if (strings.size() > 1) {
                line.append(" )");
            }
        } else {
            line.append(value);
        }
        return line.toString();
    }
}
