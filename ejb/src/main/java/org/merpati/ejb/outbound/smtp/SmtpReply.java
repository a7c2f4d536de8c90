package org.merpati.ejb.outbound.smtp;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One complete SMTP reply (RFC 5321 section 4.2), possibly multi-line.
 *
 * @param code  the three-digit reply code
 * @param lines the text of each line after the code and separator, in order (at least one, possibly empty)
 */
public record SmtpReply(int code, List<String> lines) {

    /** RFC 3463 status-code at the start of the text: class.subject.detail. */
    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?:\\s|$)");

    public SmtpReply {
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    public boolean isPositiveCompletion() {
        return code / 100 == 2;
    }

    public boolean isPositiveIntermediate() {
        return code / 100 == 3;
    }

    public boolean isTransientFailure() {
        return code / 100 == 4;
    }

    public boolean isPermanentFailure() {
        return code / 100 == 5;
    }

    /**
     * The RFC 3463 enhanced status code of the first line (e.g. {@code 5.1.1}), or null when the server gave none
     * or gave one whose class contradicts the reply code (RFC 2034 requires them to agree).
     */
    public String enhancedCode() {
        Matcher m = ENHANCED.matcher(lines.get(0));
        if (!m.find() || m.group(1).charAt(0) - '0' != code / 100) {
            return null;
        }
        return m.group(1) + "." + Integer.parseInt(m.group(2)) + "." + Integer.parseInt(m.group(3));
    }

    /** The enhanced code if the server gave one, else {@code fallback}. */
    public String enhancedCodeOr(String fallback) {
        String enhanced = enhancedCode();
        return enhanced != null ? enhanced : fallback;
    }

    /**
     * The reply as one line for a DSN's Diagnostic-Code and for logs: "550 5.1.1 No such user", continuation
     * lines joined with a space, control characters removed (they could forge header lines in a DSN).
     */
    public String oneLine() {
        StringBuilder text = new StringBuilder().append(code);
        for (String line : lines) {
            if (!line.isEmpty()) {
                text.append(' ').append(line);
            }
        }
        String clean = text.toString().replaceAll("\\p{Cntrl}", " ").replaceAll(" {2,}", " ").strip();
        return clean.length() > 500 ? clean.substring(0, 500) : clean;
    }

    @Override
    public String toString() {
        return oneLine();
    }
}
