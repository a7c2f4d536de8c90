package org.merpati.ejb.outbound.dsn;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import org.merpati.ejb.outbound.dsn.DsnRecipient.Action;

/**
 * Writes an RFC 3464 DSN: {@code multipart/report; report-type=delivery-status} with a human-readable part, the
 * {@code message/delivery-status} part and the original as {@code message/rfc822} (RET=FULL, up to a size
 * limit) or {@code text/rfc822-headers}. From MAILER-DAEMON, {@code Auto-Submitted: auto-replied} (RFC 3834);
 * the caller sends it with the null reverse path.
 *
 * <p>Header injection: every outside value passes through {@link #clean}, which drops CR, LF and every other
 * control character, so no value can end a field or start a new one; values in the delivery-status part are
 * also made ASCII (non-ASCII addresses use RFC 6533's {@code utf-8} type with {@code \x{HEX}} escapes).
 * Long fields are folded at spaces.
 */
public final class DsnBuilder {

    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] CRLF = {'\r', '\n'};
    private static final int DIAGNOSTIC_MAX = 900;
    private static final int FOLD_AT = 76;

    private final long returnLimit;

    /** @param returnLimit the largest original returned whole under RET=FULL; larger ones go as headers only */
    public DsnBuilder(long returnLimit) {
        this.returnLimit = returnLimit;
    }

    /** A fresh multipart boundary: random, and with "=_" which quoted-printable never produces. */
    public static String newBoundary() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "=_merpati_dsn_" + HexFormat.of().formatHex(b);
    }

    /**
     * @param original       the queued message, streamed once
     * @param originalSize   its size
     * @param eightBitOriginal whether the original may hold 8-bit data (BODY=8BITMIME or SMTPUTF8)
     * @param binaryOriginal whether it was BINARYMIME (cannot be returned inside a MIME part: headers only)
     */
    public void write(DsnReport report, InputStream original, long originalSize, boolean eightBitOriginal,
                      boolean binaryOriginal, OutputStream out, String boundary) throws IOException {
        boolean full = report.returnFull() && originalSize <= returnLimit && !binaryOriginal;
        Writer w = new Writer(out);
        w.field("From", "Mail Delivery System <MAILER-DAEMON@" + token(report.postmasterDomain()) + ">");
        w.field("To", "<" + address(report.to()) + ">");
        w.field("Subject", subject(report));
        w.field("Date", RFC_5322.format(report.date()));
        w.field("Message-ID", "<" + address(report.messageId()) + ">");
        w.field("Auto-Submitted", "auto-replied");
        w.field("MIME-Version", "1.0");
        w.field("Content-Type", "multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\"");
        w.line("");
        w.line("This is a MIME-encapsulated message.");
        w.line("");

        w.line("--" + boundary);
        String text = humanText(report, report.returnFull() && !full);
        boolean ascii = text.chars().allMatch(c -> c < 0x80);
        w.field("Content-Description", "Notification");
        w.field("Content-Type", "text/plain; charset=" + (ascii ? "us-ascii" : "utf-8"));
        w.field("Content-Transfer-Encoding", ascii ? "7bit" : "quoted-printable");
        w.line("");
        w.raw(ascii ? text : QuotedPrintable.encode(text));
        w.line("");

        w.line("--" + boundary);
        w.field("Content-Description", "Delivery report");
        w.field("Content-Type", "message/delivery-status");
        w.line("");
        w.field("Reporting-MTA", "dns; " + token(report.reportingMta()));
        if (report.envId() != null && !report.envId().isBlank()) {
            w.field("Original-Envelope-Id", ascii(clean(Xtext.decode(report.envId()))));
        }
        if (report.arrivalDate() != null) {
            w.field("Arrival-Date", RFC_5322.format(report.arrivalDate()));
        }
        for (DsnRecipient r : report.recipients()) {
            w.line("");
            w.field("Final-Recipient", typedAddress(r.address()));
            if (r.orcpt() != null && r.orcpt().indexOf(';') > 0) {
                w.field("Original-Recipient", originalRecipient(r.orcpt()));
            }
            w.field("Action", r.action().field());
            w.field("Status", status(r));
            if (r.remoteMta() != null && !r.remoteMta().isBlank()) {
                w.field("Remote-MTA", "dns; " + remoteHost(r.remoteMta()));
            }
            if (r.diagnostic() != null && !r.diagnostic().isBlank()) {
                w.field("Diagnostic-Code", (r.smtpDiagnostic() ? "smtp; " : "X-Merpati; ")
                        + ascii(clip(clean(r.diagnostic()), DIAGNOSTIC_MAX)));
            }
            if (r.lastAttempt() != null) {
                w.field("Last-Attempt-Date", RFC_5322.format(r.lastAttempt().atZone(report.date().getZone())));
            }
            if (r.action() == Action.DELAYED && r.willRetryUntil() != null) {
                w.field("Will-Retry-Until", RFC_5322.format(r.willRetryUntil().atZone(report.date().getZone())));
            }
        }
        w.line("");

        w.line("--" + boundary);
        if (full) {
            w.field("Content-Description", "Undelivered Message");
            w.field("Content-Type", "message/rfc822");
        } else {
            w.field("Content-Description", "Undelivered Message Headers");
            w.field("Content-Type", "text/rfc822-headers");
        }
        if (eightBitOriginal && !binaryOriginal) {
            w.field("Content-Transfer-Encoding", "8bit");
        }
        w.line("");
        w.flush();
        InputStream in = original instanceof BufferedInputStream ? original : new BufferedInputStream(original, 65536);
        if (full) {
            in.transferTo(out);
        } else {
            copyHeader(in, out, returnLimit);
        }
        // the delimiter's own CRLF: content that ended in CRLF keeps it
        out.write(CRLF);
        out.write(("--" + boundary + "--").getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
        out.flush();
    }

    /** The DSN's Subject: the kind of notice, by the most serious action reported. */
    public static String subjectOf(DsnReport report) {
        return subject(report);
    }

    static String subject(DsnReport report) {
        boolean failed = report.recipients().stream().anyMatch(r -> r.action() == Action.FAILED);
        boolean delayed = report.recipients().stream().anyMatch(r -> r.action() == Action.DELAYED);
        if (failed) {
            return "Undelivered Mail Returned to Sender";
        }
        if (delayed) {
            return "Delayed Mail (still being retried)";
        }
        return "Successful Mail Delivery Report";
    }

    private static String humanText(DsnReport report, boolean truncated) {
        StringBuilder t = new StringBuilder(512);
        t.append("This is the mail system at host ").append(clean(report.reportingMta())).append(".\r\n\r\n");
        appendSection(t, report, Action.FAILED,
                "Your message could not be delivered to the following recipients. This is a permanent error;\r\n"
                        + "the message will not be retried.");
        appendSection(t, report, Action.DELAYED,
                "Your message could not be delivered yet to the following recipients. It is still queued and\r\n"
                        + "will be retried; you need not send it again. This is only a warning.");
        appendSection(t, report, Action.RELAYED,
                "Your message was handed over to the mail servers of the following recipients.");
        appendSection(t, report, Action.DELIVERED,
                "Your message was delivered to the following recipients.");
        if (truncated) {
            t.append("The message was too large to be returned whole; its header follows.\r\n\r\n");
        }
        t.append("For help, please send mail to the postmaster of ").append(clean(report.postmasterDomain()))
                .append(". The report below is for machines.\r\n");
        return t.toString();
    }

    private static void appendSection(StringBuilder t, DsnReport report, Action action, String intro) {
        boolean any = false;
        for (DsnRecipient r : report.recipients()) {
            if (r.action() != action) {
                continue;
            }
            if (!any) {
                t.append(intro).append("\r\n\r\n");
                any = true;
            }
            t.append("  <").append(clean(r.address())).append(">");
            if (r.diagnostic() != null && !r.diagnostic().isBlank()) {
                t.append(":\r\n    ").append(clip(clean(r.diagnostic()), DIAGNOSTIC_MAX));
            }
            if (action == Action.DELAYED && r.willRetryUntil() != null) {
                t.append("\r\n    (retried until ")
                        .append(RFC_5322.format(r.willRetryUntil().atZone(report.date().getZone()))).append(')');
            }
            t.append("\r\n");
        }
        if (any) {
            t.append("\r\n");
        }
    }

    private static String status(DsnRecipient r) {
        String s = r.status() == null ? "" : r.status().trim();
        if (s.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
            return s;
        }
        return switch (r.action()) {
            case FAILED -> "5.0.0";
            case DELAYED -> "4.0.0";
            default -> "2.0.0";
        };
    }

    /** rfc822; address — or RFC 6533 utf-8; with \x{HEX} for a non-ASCII address. */
    static String typedAddress(String address) {
        String a = address(address);
        boolean ascii = a.chars().allMatch(c -> c < 0x80);
        return (ascii ? "rfc822; " : "utf-8; ") + ascii(a);
    }

    /** ORCPT is {@code addr-type;xtext}: the type stays, the address is decoded and cleaned. */
    static String originalRecipient(String orcpt) {
        int semi = orcpt.indexOf(';');
        String type = token(orcpt.substring(0, semi));
        String value = address(Xtext.decode(orcpt.substring(semi + 1)));
        return (type.isEmpty() ? "rfc822" : type) + "; " + ascii(value);
    }

    /** "mx.example.org [192.0.2.1]" → "mx.example.org" (the dns type names a host). */
    static String remoteHost(String remoteMta) {
        String host = clean(remoteMta).trim();
        int space = host.indexOf(' ');
        if (space > 0) {
            host = host.substring(0, space);
        }
        return token(host);
    }

    /**
     * Drops CR, LF and every other control character (C0, DEL, C1) and the Unicode line and paragraph
     * separators; tabs become spaces. What is left cannot end a header field.
     */
    public static String clean(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t') {
                out.append(' ');
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                continue;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** An address inside angle brackets: cleaned, no spaces or brackets. */
    static String address(String value) {
        String c = clean(value);
        StringBuilder out = new StringBuilder(c.length());
        for (int i = 0; i < c.length() && out.length() < 320; i++) {
            char ch = c.charAt(i);
            if (ch != ' ' && ch != '<' && ch != '>') {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** A host or type token: letters, digits and . - _ : [ ] only. */
    static String token(String value) {
        String c = clean(value);
        StringBuilder out = new StringBuilder(c.length());
        for (int i = 0; i < c.length() && out.length() < 255; i++) {
            char ch = c.charAt(i);
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || ch == '.' || ch == '-' || ch == '_' || ch == ':' || ch == '[' || ch == ']') {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** Non-ASCII as RFC 6533 {@code \x{HEX}} (and a backslash as {@code \x{5C}}, so the escape is unambiguous). */
    static String ascii(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(cp -> {
            if (cp >= 0x80 || cp == '\\') {
                out.append("\\x{").append(Integer.toHexString(cp).toUpperCase(Locale.ROOT)).append('}');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static String clip(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max) + "...";
    }

    /** Copies the header block (up to and including the empty line), at most {@code limit} bytes. */
    static void copyHeader(InputStream in, OutputStream out, long limit) throws IOException {
        int previous = -1;
        int beforePrevious = -1;
        long copied = 0;
        int b;
        while ((b = in.read()) != -1 && copied < limit) {
            out.write(b);
            copied++;
            // end of header: CRLF CRLF (or a bare LF LF in a stray stored file)
            if (b == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'))) {
                return;
            }
            beforePrevious = previous;
            previous = b;
        }
        if (previous != '\n' && copied > 0) {
            out.write(CRLF);
        }
    }

    /** Writes CRLF-terminated lines and folded header fields. */
    private static final class Writer {
        private final OutputStream out;
        private final StringBuilder buffer = new StringBuilder(4096);

        Writer(OutputStream out) {
            this.out = out;
        }

        void field(String name, String value) {
            line(fold(name + ": " + value));
        }

        void line(String line) {
            buffer.append(line).append("\r\n");
        }

        void raw(String text) {
            buffer.append(text);
            if (!text.endsWith("\r\n")) {
                buffer.append("\r\n");
            }
        }

        void flush() throws IOException {
            out.write(buffer.toString().getBytes(StandardCharsets.UTF_8));
            buffer.setLength(0);
        }
    }

    /** Folds at spaces before {@value #FOLD_AT} characters where it can (the content holds no CR/LF). */
    static String fold(String field) {
        if (field.length() <= FOLD_AT) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length() + 16);
        int lineLength = 0;
        String[] words = field.split(" ", -1);
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            if (i > 0) {
                if (lineLength + 1 + word.length() > FOLD_AT && lineLength > 0 && !word.isEmpty()) {
                    out.append("\r\n ");
                    lineLength = 1;
                } else {
                    out.append(' ');
                    lineLength++;
                }
            }
            out.append(word);
            lineLength += word.length();
        }
        return out.toString();
    }
}
