package org.merpati.connector.imap.proto;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Streaming Content-Transfer-Encoding decoders for FETCH BINARY (RFC 3516): base64 and quoted-printable are
 * decoded as the bytes are read; identity encodings pass through. Lenient the way mail readers are: base64
 * ignores characters outside its alphabet, quoted-printable keeps malformed escapes as they are.
 */
public final class TransferDecoding {

    private TransferDecoding() {
    }

    /** Whether the encoding is one we can decode (else the FETCH fails with [UNKNOWN-CTE]). */
    public static boolean supported(String encoding) {
        return switch (normalise(encoding)) {
            case "7bit", "8bit", "binary", "base64", "quoted-printable" -> true;
            default -> false;
        };
    }

    /** Whether the encoding is the identity. */
    public static boolean identity(String encoding) {
        String e = normalise(encoding);
        return e.equals("7bit") || e.equals("8bit") || e.equals("binary");
    }

    private static String normalise(String encoding) {
        return encoding == null ? "7bit" : encoding.trim().toLowerCase(Locale.ROOT);
    }

    /** A stream of the decoded bytes of {@code raw}. */
    public static InputStream decode(InputStream raw, String encoding) {
        return switch (normalise(encoding)) {
            case "base64" -> new Base64Input(new java.io.BufferedInputStream(raw, 8192));
            case "quoted-printable" -> new QuotedPrintableInput(new java.io.BufferedInputStream(raw, 8192));
            default -> raw;
        };
    }

    /** Counts the decoded bytes (reads the stream to its end). */
    public static long decodedLength(InputStream raw, String encoding) throws IOException {
        try (InputStream in = decode(raw, encoding)) {
            long n = 0;
            byte[] buf = new byte[8192];
            int r;
            while ((r = in.read(buf)) > 0) {
                n += r;
            }
            return n;
        }
    }

    private abstract static class ByteDecoder extends FilterInputStream {
        ByteDecoder(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len) {
                int c = read();
                if (c < 0) {
                    break;
                }
                b[off + n++] = (byte) c;
            }
            return n == 0 ? -1 : n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = 0;
            while (s < n && read() >= 0) {
                s++;
            }
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    private static final class Base64Input extends ByteDecoder {
        private final byte[] out = new byte[3];
        private int outPos;
        private int outLen;
        private boolean ended;

        Base64Input(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            while (outPos >= outLen) {
                if (ended || !fill()) {
                    return -1;
                }
            }
            return out[outPos++] & 0xff;
        }

        private boolean fill() throws IOException {
            int[] quad = new int[4];
            int q = 0;
            while (q < 4) {
                int c = in.read();
                if (c < 0) {
                    ended = true;
                    break;
                }
                if (c == '=') {
                    ended = true;
                    break;
                }
                int v = value(c);
                if (v >= 0) {
                    quad[q++] = v;
                }
            }
            outPos = 0;
            outLen = 0;
            if (q >= 2) {
                out[outLen++] = (byte) ((quad[0] << 2) | (quad[1] >> 4));
            }
            if (q >= 3) {
                out[outLen++] = (byte) ((quad[1] << 4) | (quad[2] >> 2));
            }
            if (q == 4) {
                out[outLen++] = (byte) ((quad[2] << 6) | quad[3]);
            }
            return outLen > 0;
        }

        private static int value(int c) {
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
            if (c == '/') {
                return 63;
            }
            return -1;
        }
    }

    private static final class QuotedPrintableInput extends ByteDecoder {
        private final java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();

        QuotedPrintableInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (!queue.isEmpty()) {
                return queue.poll();
            }
            int c = in.read();
            if (c != '=') {
                return c;
            }
            int h1 = in.read();
            if (h1 < 0) {
                return '=';
            }
            if (h1 == '\r') {
                int lf = in.read();
                if (lf == '\n') {
                    return read(); // soft line break
                }
                queue.add((int) '\r');
                if (lf >= 0) {
                    queue.add(lf);
                }
                return '=';
            }
            if (h1 == '\n') {
                return read();
            }
            int h2 = in.read();
            int v = hex(h1) < 0 || hex(h2) < 0 ? -1 : hex(h1) * 16 + hex(h2);
            if (v >= 0) {
                return v;
            }
            queue.add(h1);
            if (h2 >= 0) {
                queue.add(h2);
            }
            return '=';
        }

        private static int hex(int c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            return -1;
        }
    }
}
