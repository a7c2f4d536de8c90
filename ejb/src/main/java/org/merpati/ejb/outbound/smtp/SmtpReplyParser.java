package org.merpati.ejb.outbound.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sans-IO assembly of replies from lines (without their CRLF). Multi-line replies are {@code 250-first},
 * {@code 250-second}, ... {@code 250 last} (RFC 5321 section 4.2.1); every line must carry the same code.
 * A bare code ({@code 250}) is a complete one-line reply with empty text. One parser per connection; it is
 * reset after each complete reply.
 */
public final class SmtpReplyParser {

    private final List<String> lines = new ArrayList<>();
    private int code = -1;

    /**
     * @return the reply when {@code line} completes one, empty while a multi-line reply continues
     * @throws SmtpProtocolException when the line is not a reply line
     */
    public Optional<SmtpReply> accept(String line) throws SmtpProtocolException {
        if (line.length() < 3 || !isReplyCode(line)) {
            throw new SmtpProtocolException("not an SMTP reply line: " + printable(line));
        }
        int lineCode = Integer.parseInt(line.substring(0, 3));
        if (code != -1 && lineCode != code) {
            throw new SmtpProtocolException("reply code changed within a multi-line reply: " + printable(line));
        }
        boolean last;
        String text;
        if (line.length() == 3) {
            last = true;
            text = "";
        } else if (line.charAt(3) == ' ') {
            last = true;
            text = line.substring(4);
        } else if (line.charAt(3) == '-') {
            last = false;
            text = line.substring(4);
        } else {
            throw new SmtpProtocolException("bad separator after the reply code: " + printable(line));
        }
        code = lineCode;
        lines.add(text);
        if (!last) {
            return Optional.empty();
        }
        SmtpReply reply = new SmtpReply(code, lines);
        lines.clear();
        code = -1;
        return Optional.of(reply);
    }

    /** Whether a multi-line reply has begun and not ended. */
    public boolean inProgress() {
        return code != -1;
    }

    private static boolean isReplyCode(String line) {
        char a = line.charAt(0), b = line.charAt(1), c = line.charAt(2);
        return a >= '2' && a <= '5' && b >= '0' && b <= '5' && c >= '0' && c <= '9';
    }

    static String printable(String line) {
        String clean = line.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "..." : clean;
    }
}
