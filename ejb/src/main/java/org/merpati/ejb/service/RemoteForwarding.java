package org.merpati.ejb.service;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;

/**
 * Mail for an alias or group member that points to a remote address is forwarded: relayed unchanged through
 * the outbound queue, in the delivery's transaction. The envelope keeps the original sender, so bounces reach
 * the author (no SRS rewriting: a receiver checking SPF strictly sees our address for the author's domain;
 * DKIM signatures of the author survive because the message is not changed). Each remote address gets one copy
 * however many recipients lead to it; its ORCPT names the original recipient (RFC 3461 section 4.2) and its
 * NOTIFY is the original recipient's.
 */
public final class RemoteForwarding {

    /** A remote address reached through {@code recipient} (an alias or group of ours). */
    public record Forward(Recipient recipient, String resolvedAddress, String target) {
    }

    private RemoteForwarding() {
    }

    /** The outbound recipients: one per remote target, first recipient's DSN parameters. */
    public static List<Recipient> recipients(List<Forward> forwards) {
        Map<String, Recipient> byTarget = new LinkedHashMap<>();
        for (Forward f : forwards) {
            String orcpt = f.recipient().orcpt() != null ? f.recipient().orcpt()
                    : "rfc822;" + xtext(f.resolvedAddress());
            byTarget.putIfAbsent(f.target().toLowerCase(Locale.ROOT),
                    new Recipient(f.target(), f.recipient().dsnNotify(), orcpt));
        }
        return new ArrayList<>(byTarget.values());
    }

    /** The envelope of the forwarded copy: the original's sender and body parameters, the remote recipients. */
    public static Envelope envelope(Envelope original, List<Recipient> remote) {
        return new Envelope(original.reversePath(), remote, original.bodyType(), original.smtpUtf8(),
                original.dsnRet(), original.dsnEnvId(), -1);
    }

    /**
     * Copies a stored message for relaying: without the {@code Return-Path} field that final delivery put on
     * top (RFC 5321 section 4.4: it belongs to the last hop only).
     *
     * @return the bytes written
     */
    public static long copyForRelay(Path stored, Path target) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(stored));
             OutputStream out = Files.newOutputStream(target)) {
            return copyForRelay(in, out);
        }
    }

    static long copyForRelay(InputStream in, OutputStream out) throws IOException {
        byte[] prefix = "Return-Path:".getBytes(StandardCharsets.US_ASCII);
        in.mark(prefix.length);
        byte[] start = in.readNBytes(prefix.length);
        in.reset();
        if (!new String(start, StandardCharsets.US_ASCII).equalsIgnoreCase("Return-Path:")) {
            return in.transferTo(out);
        }
        // skip the field: its first line and any continuation lines
        int b;
        while (true) {
            while ((b = in.read()) >= 0 && b != '\n') {
                // the skipped line
            }
            if (b < 0) {
                return 0;
            }
            in.mark(1);
            int next = in.read();
            if (next != ' ' && next != '\t') {
                in.reset();
                break;
            }
        }
        return in.transferTo(out);
    }

    /**
     * The value of this server's own Authentication-Results field in a stored message (the one inbound
     * authentication put on top, whose authserv-id is {@code authservId}), unfolded; null when there is none.
     * Reads at most the first 64 KiB of the header.
     */
    public static String ownAuthenticationResults(Path stored, String authservId) throws IOException {
        try (InputStream in = Files.newInputStream(stored)) {
            return ownAuthenticationResults(in, authservId);
        }
    }

    static String ownAuthenticationResults(InputStream in, String authservId) throws IOException {
        String header = new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
        int end = header.indexOf("\r\n\r\n");
        if (end >= 0) {
            header = header.substring(0, end + 2);
        }
        String unfolded = header.replaceAll("\r?\n[ \t]+", " ");
        for (String field : unfolded.split("\r?\n")) {
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).trim().equalsIgnoreCase("Authentication-Results")) {
                String value = field.substring(colon + 1).trim();
                int semicolon = value.indexOf(';');
                if (semicolon > 0 && value.substring(0, semicolon).trim().equalsIgnoreCase(authservId)) {
                    return value;
                }
            }
        }
        return null;
    }

    /** RFC 3461 section 4: characters outside "!" to "~", and "+" and "=", as {@code +XX}. */
    static String xtext(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 33 || c > 126 || c == '+' || c == '=') {
                out.append('+').append(String.format(Locale.ROOT, "%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
