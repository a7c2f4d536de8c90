package org.merpati.ejb.service;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.merpati.connector.api.SessionInfo;

/**
 * The {@code Return-Path} and {@code Received} fields prepended to every delivered message (RFC 5321
 * section 4.4). Every value that comes from the client (HELO name, addresses) is sanitized: CR, LF and other
 * controls are dropped and the characters that would break the field's syntax are replaced, so a client
 * cannot inject header lines.
 */
public final class TraceHeaders {

    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final int FOLD_AT = 78;

    private TraceHeaders() {
    }

    /**
     * @param singleRecipient the recipient for the {@code for} clause, or null when there are several (naming
     *                        one would disclose the others' presence to each)
     */
    public static byte[] build(SessionInfo session, String reversePath, String singleRecipient, String hostname,
                               String id, ZonedDateTime now) {
        StringBuilder out = new StringBuilder(256);
        out.append("Return-Path: <").append(sanitizeAddress(reversePath)).append(">\r\n");
        StringBuilder received = new StringBuilder("Received: from ");
        String helo = sanitizeToken(session.heloName());
        received.append(helo.isEmpty() ? "unknown" : helo);
        received.append(" (").append(sanitizeToken(session.clientAddress())).append(')');
        received.append(" by ").append(sanitizeToken(hostname)).append(" (Merpati)");
        received.append(" with ").append(sanitizeToken(session.protocol() == null ? "SMTP" : session.protocol()));
        received.append(" id ").append(sanitizeToken(id));
        if (singleRecipient != null) {
            received.append(" for <").append(sanitizeAddress(singleRecipient)).append('>');
        }
        received.append("; ").append(RFC_5322.format(now));
        out.append(fold(received.toString())).append("\r\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code Return-Path} field that final delivery prepends (RFC 5321 section 4.4). */
    public static byte[] returnPath(String reversePath) {
        return ("Return-Path: <" + sanitizeAddress(reversePath) + ">\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The {@code Received} field of a submitted message, ending in CRLF: {@code with ESMTPSA} (RFC 3848, from the
     * session's protocol) and the authenticated account in a comment (RFC 5321 section 4.4 allows comments).
     * With {@code hideClient} the from clause is left out: the client's address and its EHLO name (often
     * {@code [192.168.1.23]}) tell the world the sender's network, so large providers omit them.
     */
    public static String submissionReceived(SessionInfo session, String hostname, String id, boolean hideClient,
                                            ZonedDateTime now) {
        StringBuilder received = new StringBuilder("Received:");
        if (!hideClient) {
            String helo = sanitizeToken(session.heloName());
            received.append(" from ").append(helo.isEmpty() ? "unknown" : helo);
            received.append(" (").append(sanitizeToken(session.clientAddress())).append(')');
        }
        if (session.authenticatedUser() != null) {
            received.append(" (authenticated as ").append(sanitizeToken(session.authenticatedUser())).append(')');
        }
        received.append(" by ").append(sanitizeToken(hostname)).append(" (Merpati)");
        received.append(" with ").append(sanitizeToken(session.protocol() == null ? "ESMTPSA" : session.protocol()));
        received.append(" id ").append(sanitizeToken(id));
        received.append("; ").append(RFC_5322.format(now));
        return fold(received.toString()) + "\r\n";
    }

    /** A token inside a Received clause: no whitespace, controls, parentheses, angle brackets or semicolons. */
    static String sanitizeToken(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), 255));
        for (int i = 0; i < value.length() && out.length() < 255; i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                continue;
            }
            out.append(switch (c) {
                case '(', ')', '<', '>', ';', '\\', '"' -> '_';
                default -> c;
            });
        }
        return out.toString();
    }

    /** An address inside angle brackets: no controls, whitespace or brackets. */
    static String sanitizeAddress(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length() && out.length() < 320; i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '<' || c == '>') {
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Folds before clause keywords so the field stays readable; the content has no CR/LF of its own. */
    private static String fold(String field) {
        if (field.length() <= FOLD_AT) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length() + 16);
        int lineStart = 0;
        String[] words = field.split(" ");
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (i > 0) {
                if (out.length() - lineStart + 1 + word.length() > FOLD_AT) {
                    out.append("\r\n\t");
                    lineStart = out.length() - 1;
                } else {
                    out.append(' ');
                }
            }
            out.append(word);
        }
        return out.toString();
    }
}
