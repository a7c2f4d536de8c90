package org.merpati.connector.smtp.proto;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the {@code esmtp-param} list after a MAIL or RCPT path (RFC 5321 section 4.1.2): {@code keyword[=value]}
 * separated by single spaces. Unknown keywords answer 555 as RFC 5321 section 4.1.1.11 asks.
 */
final class MailParameterParser {

    private MailParameterParser() {
    }

    static MailParameters mailParameters(String text) throws SmtpSyntaxException {
        return mailParameters(text, false);
    }

    /**
     * @param authParameter whether AUTH is offered, so the RFC 4954 section 5 {@code AUTH=} parameter must be
     *                      accepted; it is checked and then ignored, because the submitter is the authenticated
     *                      account whatever a client claims here
     */
    static MailParameters mailParameters(String text, boolean authParameter) throws SmtpSyntaxException {
        long size = -1;
        String body = MailParameters.BODY_7BIT;
        boolean utf8 = false;
        String ret = null;
        String envId = null;
        Set<String> seen = new HashSet<>();
        for (String[] kv : split(text, seen)) {
            String key = kv[0];
            String value = kv[1];
            switch (key) {
                case "SIZE" -> {
                    if (value == null || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        throw new SmtpSyntaxException(501, "5.5.4", "bad SIZE value");
                    }
                    size = Long.parseLong(value);
                }
                case "BODY" -> {
                    String v = value == null ? "" : value.toUpperCase(Locale.ROOT);
                    if (!v.equals(MailParameters.BODY_7BIT) && !v.equals(MailParameters.BODY_8BITMIME)
                        && !v.equals(MailParameters.BODY_BINARYMIME)) {
                        throw new SmtpSyntaxException(501, "5.5.4", "BODY must be 7BIT, 8BITMIME or BINARYMIME");
                    }
                    body = v;
                }
                case "SMTPUTF8" -> {
                    if (value != null) {
                        throw new SmtpSyntaxException(501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    utf8 = true;
                }
                case "RET" -> {
                    String v = value == null ? "" : value.toUpperCase(Locale.ROOT);
                    if (!v.equals("FULL") && !v.equals("HDRS")) {
                        throw new SmtpSyntaxException(501, "5.5.4", "RET must be FULL or HDRS");
                    }
                    ret = v;
                }
                case "ENVID" -> {
                    if (value == null || value.isEmpty() || value.length() > 100 || !isXtext(value)) {
                        throw new SmtpSyntaxException(501, "5.5.4", "bad ENVID value");
                    }
                    envId = value;
                }
                case "AUTH" -> {
                    if (!authParameter) {
                        throw new SmtpSyntaxException(555, "5.5.4", "unsupported MAIL parameter " + key);
                    }
                    if (value == null || value.isEmpty() || value.length() > 500 || !("<>".equals(value) || isXtext(value))) {
                        throw new SmtpSyntaxException(501, "5.5.4", "AUTH must be <> or xtext");
                    }
                }
                default -> throw new SmtpSyntaxException(555, "5.5.4", "unsupported MAIL parameter " + key);
            }
        }
        return new MailParameters(size, body, utf8, ret, envId);
    }

    /** @return {NOTIFY, ORCPT}, each null when absent */
    static String[] rcptParameters(String text, boolean utf8) throws SmtpSyntaxException {
        String notify = null;
        String orcpt = null;
        Set<String> seen = new HashSet<>();
        for (String[] kv : split(text, seen)) {
            String key = kv[0];
            String value = kv[1];
            switch (key) {
                case "NOTIFY" -> {
                    notify = value == null ? "" : value.toUpperCase(Locale.ROOT);
                    if (!validNotify(notify)) {
                        throw new SmtpSyntaxException(501, "5.5.4", "NOTIFY must be NEVER or a list of SUCCESS, FAILURE, DELAY");
                    }
                }
                case "ORCPT" -> {
                    int semi = value == null ? -1 : value.indexOf(';');
                    if (semi <= 0 || semi == value.length() - 1 || value.length() > 500
                        || !(isXtext(value.substring(semi + 1)) || utf8)) {
                        throw new SmtpSyntaxException(501, "5.5.4", "ORCPT must be addr-type;xtext");
                    }
                    orcpt = value;
                }
                default -> throw new SmtpSyntaxException(555, "5.5.4", "unsupported RCPT parameter " + key);
            }
        }
        return new String[] {notify, orcpt};
    }

    private static boolean validNotify(String v) {
        if (v.equals("NEVER")) {
            return true;
        }
        Set<String> items = new HashSet<>();
        for (String item : v.split(",", -1)) {
            if (!(item.equals("SUCCESS") || item.equals("FAILURE") || item.equals("DELAY")) || !items.add(item)) {
                return false;
            }
        }
        return true;
    }

    /** RFC 3461 xtext: printable ASCII except '+' and '=', with "+XX" hex escapes. */
    private static boolean isXtext(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                if (i + 2 >= s.length() || !isUpperHex(s.charAt(i + 1)) || !isUpperHex(s.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isUpperHex(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'F';
    }

    private static java.util.List<String[]> split(String text, Set<String> seen) throws SmtpSyntaxException {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        if (text.charAt(0) != ' ') {
            throw new SmtpSyntaxException(501, "5.5.4", "parameters must follow the path after a space");
        }
        for (String token : text.substring(1).split(" ", -1)) {
            if (token.isEmpty()) {
                continue; // tolerate doubled spaces
            }
            int eq = token.indexOf('=');
            String key = (eq < 0 ? token : token.substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : token.substring(eq + 1);
            if (key.isEmpty() || !key.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')
                || !Character.isLetterOrDigit(key.charAt(0))) {
                throw new SmtpSyntaxException(501, "5.5.4", "malformed parameter");
            }
            if (!seen.add(key)) {
                throw new SmtpSyntaxException(501, "5.5.4", "duplicate parameter " + key);
            }
            out.add(new String[] {key, value});
        }
        return out;
    }
}
