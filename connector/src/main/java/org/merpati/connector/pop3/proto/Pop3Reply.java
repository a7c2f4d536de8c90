package org.merpati.connector.pop3.proto;

import java.util.List;

/**
 * A single-line status reply: {@code +OK text} or {@code -ERR [CODE] text}.
 *
 * @param ok   whether it is +OK
 * @param code the RFC 2449 response code of a -ERR, or null
 * @param text human readable text, CR and LF replaced
 */
public record Pop3Reply(boolean ok, Pop3ResponseCode code, String text) {

    public Pop3Reply {
        text = text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
        if (ok && code != null) {
            throw new IllegalArgumentException("response codes go with -ERR only");
        }
    }

    public static Pop3Reply ok(String text) {
        return new Pop3Reply(true, null, text);
    }

    public static Pop3Reply err(String text) {
        return new Pop3Reply(false, null, text);
    }

    public static Pop3Reply err(Pop3ResponseCode code, String text) {
        return new Pop3Reply(false, code, text);
    }

    /** The reply line, CRLF included. */
    public String encode() {
        StringBuilder line = new StringBuilder(ok ? "+OK" : "-ERR");
        if (code != null) {
            line.append(" [").append(code.text()).append(']');
        }
        if (!text.isEmpty()) {
            line.append(' ').append(text);
        }
        return line.append("\r\n").toString();
    }

    /**
     * This +OK line followed by a multi-line body (RFC 1939 section 3): each line byte-stuffed when it starts
     * with ".", then the terminating ".".
     */
    public String encodeWithLines(List<String> lines) {
        if (!ok) {
            throw new IllegalStateException("only +OK replies have a multi-line body");
        }
        StringBuilder out = new StringBuilder(encode());
        for (String line : lines) {
            if (line.startsWith(".")) {
                out.append('.');
            }
            out.append(line.replaceAll("[\\r\\n]+", " ")).append("\r\n");
        }
        return out.append(".\r\n").toString();
    }
}
