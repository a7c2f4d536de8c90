package org.merpati.connector.smtp.proto;

import java.util.Locale;

/**
 * Turns one command line (CRLF already removed by {@link CommandLineDecoder}) into an {@link SmtpCommand}.
 * Whether the command is allowed now is not its business: that is {@link SmtpCommandRules}.
 *
 * <p>One leniency on purpose: spaces between {@code FROM:}/{@code TO:} and the path are tolerated (many
 * deployed clients send them and Postfix accepts them by default); spaces inside the path are not.
 */
public final class SmtpCommandParser {

    /** RFC 3030 chunk sizes fit in 18 digits; more would overflow a long. */
    private static final int MAX_CHUNK_DIGITS = 18;
    /** RFC 4422 section 3.1: a mechanism name is 1 to 20 characters. */
    private static final int MAX_SASL_MECHANISM = 20;

    private SmtpCommandParser() {
    }

    /**
     * @param line            the command line without CRLF
     * @param utf8Transaction whether the current transaction's MAIL FROM carried SMTPUTF8 (matters for RCPT)
     */
    public static SmtpCommand parse(String line, boolean utf8Transaction) throws SmtpSyntaxException {
        return parse(line, utf8Transaction, false);
    }

    /**
     * @param line            the command line without CRLF
     * @param utf8Transaction whether the current transaction's MAIL FROM carried SMTPUTF8 (matters for RCPT)
     * @param authOffered     whether this listener offers AUTH (submission): then AUTH and the MAIL {@code AUTH=}
     *                        parameter parse; elsewhere AUTH stays "not implemented"
     */
    public static SmtpCommand parse(String line, boolean utf8Transaction, boolean authOffered) throws SmtpSyntaxException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 32 && c != '\t' || c == 127) {
                throw new SmtpSyntaxException(500, "5.5.2", "control characters are not allowed in commands");
            }
        }
        int sp = line.indexOf(' ');
        String word = sp < 0 ? line : line.substring(0, sp);
        String rest = sp < 0 ? "" : line.substring(sp + 1);
        SmtpVerb verb = SmtpVerb.of(word);
        if (verb == null) {
            throw new SmtpSyntaxException(500, "5.5.1", "command not recognized");
        }
        if (verb == SmtpVerb.AUTH && authOffered) {
            return auth(rest);
        }
        if (!verb.isImplemented()) {
            throw new SmtpSyntaxException(502, "5.5.1", "command not implemented");
        }
        return switch (verb) {
            case HELO, EHLO, LHLO -> hello(verb, rest);
            case MAIL -> mail(rest, authOffered);
            case RCPT -> rcpt(rest, utf8Transaction);
            case BDAT -> bdat(rest);
            case DATA, RSET, QUIT, STARTTLS -> noArgument(verb, sp, rest);
            case VRFY -> {
                if (rest.isBlank()) {
                    throw new SmtpSyntaxException(501, "5.5.4", "VRFY needs an argument");
                }
                yield new SmtpCommand.Simple(verb, rest.strip());
            }
            default -> new SmtpCommand.Simple(verb, rest.strip());
        };
    }

    private static SmtpCommand noArgument(SmtpVerb verb, int sp, String rest) throws SmtpSyntaxException {
        if (sp >= 0 && !rest.isBlank()) {
            throw new SmtpSyntaxException(501, "5.5.4", verb + " takes no argument");
        }
        return new SmtpCommand.Simple(verb, "");
    }

    private static SmtpCommand hello(SmtpVerb verb, String rest) throws SmtpSyntaxException {
        String domain = rest.strip();
        if (domain.isEmpty()) {
            throw new SmtpSyntaxException(501, "5.5.4", verb + " requires a domain name or address literal");
        }
        // clients send junk after the name ("EHLO host.example (comment)"); keep the first token only
        int sp = domain.indexOf(' ');
        if (sp > 0) {
            domain = domain.substring(0, sp);
        }
        if (domain.chars().anyMatch(c -> c > 127 || c == '\t')) {
            throw new SmtpSyntaxException(501, "5.5.4", "invalid " + verb + " name");
        }
        return new SmtpCommand.Hello(verb, domain);
    }

    private static SmtpCommand mail(String rest, boolean authParameter) throws SmtpSyntaxException {
        String afterPrefix = stripPrefix(rest, "FROM:", "MAIL FROM:<address>");
        int end = endOfPath(afterPrefix, "MAIL FROM:<address>");
        MailParameters params = MailParameterParser.mailParameters(afterPrefix.substring(end + 1), authParameter);
        MailPath path = MailPathParser.parse(afterPrefix.substring(1, end), params.smtpUtf8(), false);
        return new SmtpCommand.Mail(path, params);
    }

    private static SmtpCommand rcpt(String rest, boolean utf8) throws SmtpSyntaxException {
        String afterPrefix = stripPrefix(rest, "TO:", "RCPT TO:<address>");
        int end = endOfPath(afterPrefix, "RCPT TO:<address>");
        String[] dsn = MailParameterParser.rcptParameters(afterPrefix.substring(end + 1), utf8);
        MailPath path = MailPathParser.parse(afterPrefix.substring(1, end), utf8, true);
        return new SmtpCommand.Rcpt(path, dsn[0], dsn[1]);
    }

    private static String stripPrefix(String rest, String prefix, String usage) throws SmtpSyntaxException {
        if (!rest.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new SmtpSyntaxException(501, "5.5.4", "syntax: " + usage);
        }
        String s = rest.substring(prefix.length());
        int i = 0;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return s.substring(i);
    }

    /** Index of the '>' that closes the path at index 0, honouring quoted local parts (which may hold '>'). */
    private static int endOfPath(String s, String usage) throws SmtpSyntaxException {
        if (s.isEmpty() || s.charAt(0) != '<') {
            throw new SmtpSyntaxException(501, "5.5.4", "syntax: " + usage);
        }
        boolean inQuote = false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inQuote && c == '\\') {
                i++;
            } else if (c == '"') {
                inQuote = !inQuote;
            } else if (!inQuote && c == '>') {
                if (i + 1 < s.length() && s.charAt(i + 1) != ' ') {
                    throw new SmtpSyntaxException(501, "5.5.4", "syntax: " + usage);
                }
                return i;
            } else if (!inQuote && (c == ' ' || c == '<' || c == '\t')) {
                throw new SmtpSyntaxException(501, "5.5.4", "syntax: " + usage);
            }
        }
        throw new SmtpSyntaxException(501, "5.5.4", "syntax: " + usage);
    }

    /**
     * {@code AUTH mechanism [initial-response]} (RFC 4954 section 4). The mechanism is an RFC 4422 name, upper-cased
     * here; the initial response is kept as sent (base64, or "=" for an empty one) and decoded by the session, which
     * owns the SASL error replies.
     */
    private static SmtpCommand auth(String rest) throws SmtpSyntaxException {
        String[] parts = rest.split(" ", -1);
        if (rest.isEmpty() || parts.length > 2 || parts[0].isEmpty() || parts[0].length() > MAX_SASL_MECHANISM
            || !parts[0].chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '-' || c == '_')) {
            throw new SmtpSyntaxException(501, "5.5.4", "syntax: AUTH mechanism [initial-response]");
        }
        String initial = null;
        if (parts.length == 2) {
            if (parts[1].isEmpty()) {
                throw new SmtpSyntaxException(501, "5.5.4", "syntax: AUTH mechanism [initial-response]");
            }
            initial = parts[1];
        }
        return new SmtpCommand.Auth(parts[0].toUpperCase(Locale.ROOT), initial);
    }

    private static SmtpCommand bdat(String rest) throws SmtpSyntaxException {
        String[] parts = rest.split(" ", -1);
        if (rest.isEmpty() || parts.length > 2 || parts[0].isEmpty() || parts[0].length() > MAX_CHUNK_DIGITS
            || !parts[0].chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new SmtpSyntaxException(501, "5.5.4", "syntax: BDAT <size> [LAST]");
        }
        boolean last = false;
        if (parts.length == 2) {
            if (!"LAST".equals(parts[1].toUpperCase(Locale.ROOT))) {
                throw new SmtpSyntaxException(501, "5.5.4", "syntax: BDAT <size> [LAST]");
            }
            last = true;
        }
        return new SmtpCommand.Bdat(Long.parseLong(parts[0]), last);
    }
}
