package org.merpati.connector.api;

import java.util.Objects;

/**
 * A protocol-neutral verdict with an SMTP reply code and an RFC 3463 enhanced status code. SMTP and LMTP
 * write it as is; other protocols map the class digit (2 ok, 4 temporary, 5 permanent).
 *
 * @param code     three-digit SMTP reply code
 * @param enhanced enhanced status code such as {@code 5.1.1}
 * @param text     human readable text, one line, no CR or LF
 */
public record Reply(int code, String enhanced, String text) implements java.io.Serializable {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        Objects.requireNonNull(enhanced, "enhanced");
        text = text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    }

    public static Reply ok(String enhanced, String text) {
        return new Reply(250, enhanced, text);
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }
}
