package org.merpati.ejb.outbound.dsn;

import java.nio.charset.StandardCharsets;

/** RFC 2045 quoted-printable for a CRLF-lined UTF-8 text (lines kept, soft breaks before 76 characters). */
final class QuotedPrintable {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private QuotedPrintable() {
    }

    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + text.length() / 4);
        String[] lines = text.split("\r\n", -1);
        for (int l = 0; l < lines.length; l++) {
            byte[] bytes = lines[l].getBytes(StandardCharsets.UTF_8);
            int lineLength = 0;
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xff;
                boolean last = i == bytes.length - 1;
                String piece;
                if ((b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !last)) {
                    piece = String.valueOf((char) b);
                } else {
                    piece = "=" + HEX[b >> 4] + HEX[b & 0xf];
                }
                if (lineLength + piece.length() > 75) {
                    out.append("=\r\n");
                    lineLength = 0;
                }
                out.append(piece);
                lineLength += piece.length();
            }
            if (l < lines.length - 1) {
                out.append("\r\n");
            }
        }
        return out.toString();
    }
}
