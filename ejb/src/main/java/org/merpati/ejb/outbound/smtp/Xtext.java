package org.merpati.ejb.outbound.smtp;

import java.nio.charset.StandardCharsets;

/**
 * RFC 3461 section 4 xtext, the encoding of the ENVID and ORCPT values: printable US-ASCII except
 * {@code +} and {@code =} stand for themselves, every other octet is {@code +} and two upper-case hex digits.
 */
public final class Xtext {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Xtext() {
    }

    /** Encodes the UTF-8 octets of {@code text}. */
    public static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 33 && c <= 126 && c != '+' && c != '=') {
                out.append((char) c);
            } else {
                out.append('+').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    /** Whether {@code value} is well-formed xtext (every {@code +} followed by two upper-case hex digits). */
    public static boolean isXtext(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+') {
                if (i + 2 >= value.length() || !isHexDigit(value.charAt(i + 1)) || !isHexDigit(value.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return false;
            }
        }
        return true;
    }

    /** Decodes well-formed xtext; the octets are read as UTF-8. */
    public static String decode(String xtext) {
        if (!isXtext(xtext)) {
            throw new IllegalArgumentException("not xtext: " + xtext);
        }
        byte[] out = new byte[xtext.length()];
        int n = 0;
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                out[n++] = (byte) Integer.parseInt(xtext.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
