package org.merpati.connector.smtp.proto;

import java.util.Locale;

/**
 * The command verbs the server understands. Verbs that exist in the SMTP world but that this server does not
 * implement are listed too, so they answer 502 (not implemented) instead of 500 (unknown).
 */
public enum SmtpVerb {
    HELO, EHLO, LHLO, MAIL, RCPT, DATA, BDAT, RSET, NOOP, QUIT, VRFY, HELP, STARTTLS,
    /** Known but not implemented: answered with 502 5.5.1 (AUTH too, except on submission listeners). */
    EXPN, AUTH, ETRN, TURN, ATRN, BURL;

    public boolean isImplemented() {
        return ordinal() <= STARTTLS.ordinal();
    }

    /** The verb for a command word (any case), or null when the word is not a verb we know. */
    public static SmtpVerb of(String word) {
        if (word.isEmpty() || word.length() > 8) {
            return null;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return null;
            }
        }
        try {
            return valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
