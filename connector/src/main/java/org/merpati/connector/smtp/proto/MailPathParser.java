package org.merpati.connector.smtp.proto;

import java.util.Locale;

/**
 * Parses the inside of an RFC 5321 path ({@code Path = "<" [ A-d-l ":" ] Mailbox ">"}), with RFC 6531
 * internationalised addresses allowed only when the transaction declared SMTPUTF8.
 *
 * <p>Deliberately stricter than RFC 5321 in one point: source routes ({@code <@a,@b:user@d>}) are refused
 * rather than ignored, because nothing legitimate sends them any more and they have served to trick relays.
 */
public final class MailPathParser {

    /** RFC 5321 4.5.3.1: local part 64 octets, domain 255, path 256 including the brackets. */
    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 255;
    static final int MAX_PATH = 254;

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private MailPathParser() {
    }

    /**
     * @param inner          the text between the angle brackets
     * @param utf8Allowed    whether SMTPUTF8 was given for this transaction
     * @param forRecipient   RCPT (bare postmaster allowed, enhanced code 5.1.3) or MAIL (5.1.7)
     */
    public static MailPath parse(String inner, boolean utf8Allowed, boolean forRecipient) throws SmtpSyntaxException {
        String bad = forRecipient ? "5.1.3" : "5.1.7";
        if (inner.isEmpty()) {
            if (forRecipient) {
                throw new SmtpSyntaxException(501, bad, "empty recipient address");
            }
            return MailPath.NULL;
        }
        if (inner.charAt(0) == '@') {
            throw new SmtpSyntaxException(501, bad, "source routes are not accepted");
        }
        if (inner.length() > MAX_PATH) {
            throw new SmtpSyntaxException(501, bad, "address too long");
        }
        boolean nonAscii = inner.chars().anyMatch(c -> c > 127);
        if (nonAscii && !utf8Allowed) {
            throw new SmtpSyntaxException(553, "5.6.7", "non-ASCII address requires SMTPUTF8");
        }
        int at;
        boolean quoted = inner.charAt(0) == '"';
        if (quoted) {
            at = endOfQuotedString(inner, utf8Allowed, bad) + 1;
        } else {
            at = 0;
            while (at < inner.length() && inner.charAt(at) != '@') {
                at++;
            }
        }
        String local = inner.substring(0, at);
        if (at == inner.length()) {
            if (forRecipient && "postmaster".equals(local.toLowerCase(Locale.ROOT))) {
                return new MailPath(local, null, false, false, false);
            }
            throw new SmtpSyntaxException(501, bad, "address must be local-part@domain");
        }
        if (inner.charAt(at) != '@') {
            throw new SmtpSyntaxException(501, bad, "address must be local-part@domain");
        }
        if (!quoted) {
            checkDotString(local, utf8Allowed, bad);
        }
        if (local.length() > MAX_LOCAL_PART) {
            throw new SmtpSyntaxException(501, bad, "local part too long");
        }
        String domain = inner.substring(at + 1);
        boolean literal = !domain.isEmpty() && domain.charAt(0) == '[';
        if (literal) {
            checkAddressLiteral(domain, bad);
        } else {
            checkDomain(domain, utf8Allowed, bad);
        }
        return new MailPath(local, domain, quoted, literal, nonAscii);
    }

    /** Index of the closing quote of a quoted local part starting at 0. */
    private static int endOfQuotedString(String s, boolean utf8, String bad) throws SmtpSyntaxException {
        int i = 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\') {
                if (i + 1 >= s.length() || !isQuotedPairChar(s.charAt(i + 1), utf8)) {
                    throw new SmtpSyntaxException(501, bad, "bad quoted pair in local part");
                }
                i += 2;
            } else if (c >= 32 && c <= 126 || c > 127 && utf8) {
                i++;
            } else {
                throw new SmtpSyntaxException(501, bad, "bad character in quoted local part");
            }
        }
        throw new SmtpSyntaxException(501, bad, "unterminated quoted local part");
    }

    private static boolean isQuotedPairChar(char c, boolean utf8) {
        return c >= 32 && c <= 126 || c > 127 && utf8;
    }

    private static void checkDotString(String local, boolean utf8, String bad) throws SmtpSyntaxException {
        if (local.isEmpty() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw new SmtpSyntaxException(501, bad, "malformed local part");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (!(c == '.' || isAtext(c, utf8))) {
                throw new SmtpSyntaxException(501, bad, "bad character in local part");
            }
        }
    }

    private static boolean isAtext(char c, boolean utf8) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
            || ATEXT_SPECIALS.indexOf(c) >= 0 || c > 127 && utf8;
    }

    /** Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str] (U-labels with SMTPUTF8). */
    static void checkDomain(String domain, boolean utf8, String bad) throws SmtpSyntaxException {
        if (domain.isEmpty() || domain.length() > MAX_DOMAIN) {
            throw new SmtpSyntaxException(501, bad, "malformed domain");
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
                throw new SmtpSyntaxException(501, bad, "malformed domain");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean letDig = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
                if (!(letDig || c == '-' || c > 127 && utf8)) {
                    throw new SmtpSyntaxException(501, bad, "malformed domain");
                }
            }
        }
    }

    /** address-literal = "[" ( IPv4-address-literal / IPv6-address-literal ) "]"; general literals refused. */
    static void checkAddressLiteral(String literal, String bad) throws SmtpSyntaxException {
        if (literal.length() < 3 || literal.charAt(literal.length() - 1) != ']') {
            throw new SmtpSyntaxException(501, bad, "malformed address literal");
        }
        String body = literal.substring(1, literal.length() - 1);
        boolean ok = body.regionMatches(true, 0, "IPv6:", 0, 5) ? IpLiterals.isIpv6(body.substring(5)) : IpLiterals.isIpv4(body);
        if (!ok) {
            throw new SmtpSyntaxException(501, bad, "malformed address literal");
        }
    }
}
