package org.merpati.connector.imap.proto;

import java.nio.charset.StandardCharsets;

/**
 * Modified UTF-7 for mailbox names (RFC 3501 section 5.1.3), used with clients that enabled neither
 * IMAP4rev2 nor UTF8=ACCEPT: printable ASCII stands for itself ({@code &} as {@code &-}), anything else is
 * UTF-16 in modified base64 ({@code ,} instead of {@code /}) between {@code &} and {@code -}.
 */
public final class ModifiedUtf7 {

    private static final char[] ALPHABET =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();

    private ModifiedUtf7() {
    }

    public static String encode(String name) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int j = i;
            while (j < name.length() && (name.charAt(j) < 0x20 || name.charAt(j) > 0x7e)) {
                j++;
            }
            byte[] utf16 = name.substring(i, j).getBytes(StandardCharsets.UTF_16BE);
            out.append('&');
            int bits = 0;
            int buffer = 0;
            for (byte b : utf16) {
                buffer = (buffer << 8) | (b & 0xff);
                bits += 8;
                while (bits >= 6) {
                    bits -= 6;
                    out.append(ALPHABET[(buffer >> bits) & 0x3f]);
                }
            }
            if (bits > 0) {
                out.append(ALPHABET[(buffer << (6 - bits)) & 0x3f]);
            }
            out.append('-');
            i = j;
        }
        return out.toString();
    }

    /** @throws IllegalArgumentException when {@code text} is not valid modified UTF-7 */
    public static String decode(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '&') {
                if (c < 0x20 || c > 0x7e) {
                    throw new IllegalArgumentException("8-bit character in modified UTF-7");
                }
                out.append(c);
                i++;
                continue;
            }
            int end = text.indexOf('-', i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated modified UTF-7 shift");
            }
            if (end == i + 1) {
                out.append('&');
                i = end + 1;
                continue;
            }
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            int bits = 0;
            int buffer = 0;
            for (int k = i + 1; k < end; k++) {
                int v = value(text.charAt(k));
                buffer = (buffer << 6) | v;
                bits += 6;
                if (bits >= 8) {
                    bits -= 8;
                    bytes.write((buffer >> bits) & 0xff);
                }
            }
            byte[] b = bytes.toByteArray();
            if (b.length % 2 != 0) {
                throw new IllegalArgumentException("bad modified UTF-7 length");
            }
            out.append(new String(b, StandardCharsets.UTF_16BE));
            i = end + 1;
        }
        return out.toString();
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == ',') {
            return 63;
        }
        throw new IllegalArgumentException("bad modified base64 character " + c);
    }
}
