package org.merpati.connector.smtp.proto;

import java.util.List;

import org.merpati.connector.api.Reply;

/**
 * Writes replies as RFC 5321 section 4.2 text: {@code code SP text CRLF}, multi-line replies with {@code code-}
 * on all lines but the last, and the RFC 2034 enhanced status code after the reply code once the client has
 * negotiated ENHANCEDSTATUSCODES (EHLO/LHLO). Text is sanitised here, the single place where replies become
 * bytes, so no listener-supplied text can inject a line into the reply stream.
 */
public final class SmtpReplyEncoder {

    private SmtpReplyEncoder() {
    }

    public static String encode(Reply reply, boolean enhancedCodes) {
        return encode(reply.code(), enhancedCodes ? reply.enhanced() : "", List.of(reply.text()));
    }

    /**
     * @param enhanced the enhanced status code written on every line, or empty for none (greeting, EHLO)
     */
    public static String encode(int code, String enhanced, List<String> lines) {
        StringBuilder sb = new StringBuilder();
        List<String> texts = lines.isEmpty() ? List.of("") : lines;
        for (int i = 0; i < texts.size(); i++) {
            sb.append(code).append(i == texts.size() - 1 ? ' ' : '-');
            if (!enhanced.isEmpty()) {
                sb.append(enhanced).append(' ');
            }
            sb.append(sanitize(texts.get(i))).append("\r\n");
        }
        return sb.toString();
    }

    /** Replies are 7-bit text without control characters; anything else becomes '?'. */
    static String sanitize(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c >= 32 && c < 127 ? c : '?');
        }
        return sb.toString().stripTrailing();
    }
}
