package org.merpati.ejb.mailauth.spf;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * SPF macro expansion (RFC 7208 section 7): {@code %{letter transformers delimiters}}, {@code %%}, {@code %_},
 * {@code %-}. Upper-case letters URL-escape their value; {@code c}, {@code r} and {@code t} are allowed only in
 * explanation strings.
 */
final class SpfMacros {

    /** What the macro letters stand for in one evaluation. */
    interface Values {
        /** s: the sender ({@code local@domain}). */
        String sender();

        /** l: the sender's local part. */
        String localPart();

        /** o: the sender's domain. */
        String senderDomain();

        /** d: the domain being evaluated. */
        String domain();

        /** i, c, v: the client address. */
        InetAddress ip();

        /** h: the HELO name. */
        String helo();

        /** p: the validated domain name of the client (section 5.5 rules), or "unknown"; may query DNS. */
        String validatedName();

        /** r: the receiving host's name. */
        String receiver();

        /** t: seconds since the epoch. */
        long now();
    }

    private static final String DELIMITERS = ".-+,/_=";

    private SpfMacros() {
    }

    static void checkSyntax(String macroString, boolean explanation) throws SpfException {
        expand(macroString, null, explanation);
    }

    /**
     * Expands {@code macroString}; with {@code values} null only checks the syntax.
     *
     * @throws SpfException permerror on a syntax error
     */
    static String expand(String macroString, Values values, boolean explanation) throws SpfException {
        StringBuilder out = new StringBuilder(macroString.length() + 32);
        int i = 0;
        int n = macroString.length();
        while (i < n) {
            char c = macroString.charAt(i);
            if (c != '%') {
                if (c < 0x21 || c > 0x7e) {
                    if (!(explanation && c == ' ')) {
                        throw SpfException.perm("invalid character in macro-string");
                    }
                }
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) {
                throw SpfException.perm("lone % at end of macro-string");
            }
            char next = macroString.charAt(i + 1);
            switch (next) {
                case '%' -> {
                    out.append('%');
                    i += 2;
                }
                case '_' -> {
                    out.append(' ');
                    i += 2;
                }
                case '-' -> {
                    out.append("%20");
                    i += 2;
                }
                case '{' -> {
                    int close = macroString.indexOf('}', i + 2);
                    if (close < 0) {
                        throw SpfException.perm("unterminated macro");
                    }
                    out.append(expandOne(macroString.substring(i + 2, close), values, explanation));
                    i = close + 1;
                }
                default -> throw SpfException.perm("invalid macro: %" + next);
            }
        }
        return out.toString();
    }

    /** One {@code letter transformers delimiters} body. */
    private static String expandOne(String body, Values values, boolean explanation) throws SpfException {
        if (body.isEmpty()) {
            throw SpfException.perm("empty macro");
        }
        char letter = body.charAt(0);
        char lower = Character.toLowerCase(letter);
        if ("slodipvh".indexOf(lower) < 0 && !(explanation && "crt".indexOf(lower) >= 0)) {
            throw SpfException.perm("invalid macro letter: " + letter);
        }
        int p = 1;
        int digitsStart = p;
        while (p < body.length() && Character.isDigit(body.charAt(p))) {
            p++;
        }
        int keep = Integer.MAX_VALUE;
        if (p > digitsStart) {
            String digits = body.substring(digitsStart, p);
            if (digits.length() > 3) {
                digits = "999"; // more parts than any name has
            }
            keep = Integer.parseInt(digits);
            if (keep == 0) {
                throw SpfException.perm("macro keeps zero parts");
            }
        }
        boolean reverse = false;
        if (p < body.length() && (body.charAt(p) == 'r' || body.charAt(p) == 'R')) {
            reverse = true;
            p++;
        }
        String delimiters = body.substring(p);
        for (int k = 0; k < delimiters.length(); k++) {
            if (DELIMITERS.indexOf(delimiters.charAt(k)) < 0) {
                throw SpfException.perm("invalid macro delimiter: " + delimiters.charAt(k));
            }
        }
        if (values == null) {
            return "";
        }
        String value = value(lower, values);
        String transformed = transform(value, keep, reverse, delimiters.isEmpty() ? "." : delimiters);
        return Character.isUpperCase(letter) ? urlEscape(transformed) : transformed;
    }

    private static String value(char letter, Values values) {
        return switch (letter) {
            case 's' -> values.sender();
            case 'l' -> values.localPart();
            case 'o' -> values.senderDomain();
            case 'd' -> values.domain();
            case 'i' -> dotted(values.ip());
            case 'p' -> values.validatedName();
            case 'v' -> values.ip() instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> values.helo();
            case 'c' -> readable(values.ip());
            case 'r' -> values.receiver() == null || values.receiver().isEmpty() ? "unknown" : values.receiver();
            case 't' -> Long.toString(values.now());
            default -> throw new IllegalStateException(String.valueOf(letter));
        };
    }

    /** Splits on any of the delimiters, optionally reverses, keeps the right-most {@code keep} parts, joins with dots. */
    static String transform(String value, int keep, boolean reverse, String delimiters) {
        if (keep == Integer.MAX_VALUE && !reverse && delimiters.equals(".")) {
            return value;
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        if (reverse) {
            Collections.reverse(parts);
        }
        if (keep < parts.size()) {
            parts = parts.subList(parts.size() - keep, parts.size());
        }
        return String.join(".", parts);
    }

    /** %{i}: dotted-quad for IPv4; for IPv6, 32 dot-separated nibbles (section 7.3). */
    static String dotted(InetAddress ip) {
        byte[] bytes = ip.getAddress();
        StringBuilder out = new StringBuilder(64);
        if (bytes.length == 4) {
            for (int i = 0; i < 4; i++) {
                if (i > 0) {
                    out.append('.');
                }
                out.append(bytes[i] & 0xff);
            }
            return out.toString();
        }
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            out.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append('.')
                    .append(Character.forDigit(bytes[i] & 0xf, 16));
        }
        return out.toString();
    }

    /** %{c}: the address as people write it (IPv6 compressed, RFC 5952). */
    static String readable(InetAddress ip) {
        byte[] bytes = ip.getAddress();
        if (bytes.length == 4) {
            return dotted(ip);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** RFC 3986 escaping of everything but the unreserved characters. */
    static String urlEscape(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.write(c);
            } else {
                String hex = String.format(Locale.ROOT, "%%%02X", c);
                out.writeBytes(hex.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
