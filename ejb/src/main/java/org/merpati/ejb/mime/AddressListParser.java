package org.merpati.ejb.mime;

import java.util.ArrayList;
import java.util.List;
import org.merpati.connector.api.access.Address;

/**
 * Splits a raw address header (RFC 5322 section 3.4, with the obsolete route syntax) into the four parts
 * IMAP ENVELOPE reports. Lenient like every mail reader: comments are dropped, an address without a domain
 * gets the host UW-IMAP and Dovecot use ({@link #MISSING_HOST}), garbage between commas becomes a mailbox
 * rather than an error. Display names lose their quotes and backslash escapes; encoded words stay raw.
 * Groups become a start marker (host null, mailbox = group name) and an end marker (all null).
 */
public final class AddressListParser {

    public static final String MISSING_HOST = ".MISSING-HOST-NAME.";
    /** Addresses kept from one header: a hostile header with thousands is cut there. */
    static final int MAX_ADDRESSES = 1000;

    private final String text;
    private int pos;

    private AddressListParser(String text) {
        this.text = text;
    }

    public static List<Address> parse(String header) {
        List<Address> out = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        new AddressListParser(header).list(out);
        return out;
    }

    private void list(List<Address> out) {
        boolean inGroup = false;
        while (pos < text.length() && out.size() < MAX_ADDRESSES) {
            StringBuilder phrase = new StringBuilder(); // unquoted words, comments removed
            StringBuilder raw = new StringBuilder();    // the addr-spec as written, comments removed
            String angle = null;
            char end = scan(phrase, raw);
            if (end == '<') {
                angle = readAngle();
                end = scan(new StringBuilder(), new StringBuilder()); // ignore junk after '>'
            }
            if (end == ':' && !inGroup && angle == null) {
                out.add(new Address(null, null, collapse(phrase), null));
                inGroup = true;
                continue;
            }
            if (angle != null) {
                out.add(mailbox(nameOrNull(collapse(phrase)), angle));
            } else if (!raw.toString().isBlank()) {
                out.add(mailbox(null, raw.toString().trim()));
            }
            if (end == ';' && inGroup) {
                out.add(new Address(null, null, null, null));
                inGroup = false;
            }
        }
        if (inGroup) {
            out.add(new Address(null, null, null, null));
        }
    }

    /**
     * Reads up to a top-level {@code , ; : <} or the end, collecting display-name words and the raw text.
     *
     * @return the delimiter met, or '\0' at the end
     */
    private char scan(StringBuilder phrase, StringBuilder raw) {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            switch (c) {
                case ',', ';', ':' -> {
                    pos++;
                    return c;
                }
                case '<' -> {
                    pos++;
                    return '<';
                }
                case '(' -> skipComment();
                case '"' -> {
                    String quoted = quoted();
                    phrase.append(quoted);
                    raw.append('"').append(quoted.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
                case '[' -> {
                    int close = text.indexOf(']', pos);
                    int stop = close < 0 ? text.length() : close + 1;
                    raw.append(text, pos, stop);
                    phrase.append(text, pos, stop);
                    pos = stop;
                }
                default -> {
                    phrase.append(c);
                    raw.append(c);
                    pos++;
                }
            }
        }
        return '\0';
    }

    /** Reads an angle-addr after its '<' up to '>' (or the end), comments and quotes respected. */
    private String readAngle() {
        StringBuilder addr = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '>') {
                pos++;
                break;
            }
            if (c == '(') {
                skipComment();
            } else if (c == '"') {
                addr.append('"').append(quoted().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            } else {
                if (!Character.isWhitespace(c)) {
                    addr.append(c);
                }
                pos++;
            }
        }
        return addr.toString();
    }

    private String quoted() {
        StringBuilder out = new StringBuilder();
        pos++; // opening quote
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                break;
            }
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            out.append(c);
        }
        return out.toString();
    }

    private void skipComment() {
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return;
            }
        }
    }

    /** Splits {@code [@route,@route:]local@domain}. */
    private static Address mailbox(String name, String spec) {
        String adl = null;
        String rest = spec;
        if (rest.startsWith("@")) {
            int colon = rest.indexOf(':');
            if (colon > 0) {
                adl = rest.substring(0, colon);
                rest = rest.substring(colon + 1);
            }
        }
        int at = lastAtOutsideQuotes(rest);
        if (at < 0) {
            return new Address(name, adl, rest.isEmpty() ? null : rest, MISSING_HOST);
        }
        String local = rest.substring(0, at).trim();
        String host = rest.substring(at + 1).trim();
        return new Address(name, adl, local.isEmpty() ? null : local, host.isEmpty() ? MISSING_HOST : host);
    }

    private static int lastAtOutsideQuotes(String s) {
        boolean quoted = false;
        int at = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '@' && !quoted) {
                at = i;
            }
        }
        return at;
    }

    private static String collapse(StringBuilder s) {
        return s.toString().trim().replaceAll("[ \\t\\r\\n]+", " ");
    }

    private static String nameOrNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
