package org.merpati.ejb.outbound.dsn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** RFC 3461 xtext, the encoding of ENVID and ORCPT: {@code +XX} stands for the octet XX. */
public final class Xtext {

    private Xtext() {
    }

    /** Decodes {@code +XX} escapes (octets read as UTF-8); a malformed escape is kept as it is. */
    public static String decode(String xtext) {
        if (xtext == null || xtext.indexOf('+') < 0) {
            return xtext;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(xtext.length());
        byte[] in = xtext.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '+' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }
}
