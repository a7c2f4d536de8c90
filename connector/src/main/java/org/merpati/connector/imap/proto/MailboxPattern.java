package org.merpati.connector.imap.proto;

/**
 * LIST pattern matching (RFC 9051 section 6.3.9): {@code *} matches any characters, {@code %} any except the
 * hierarchy delimiter. INBOX matches case-insensitively.
 */
public final class MailboxPattern {

    private final String pattern;
    private final char delimiter;

    public MailboxPattern(String reference, String pattern, char delimiter) {
        String joined = reference.isEmpty() ? pattern
            : reference.endsWith(String.valueOf(delimiter)) || pattern.startsWith(String.valueOf(delimiter))
                ? reference + pattern : reference + delimiter + pattern;
        if (joined.regionMatches(true, 0, "INBOX", 0, 5) && (joined.length() == 5 || joined.charAt(5) == delimiter)) {
            joined = "INBOX" + joined.substring(5);
        }
        this.pattern = joined;
        this.delimiter = delimiter;
    }

    public boolean matches(String name) {
        return match(0, name, 0);
    }

    private boolean match(int p, String name, int n) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*' || c == '%') {
                for (int k = n; k <= name.length(); k++) {
                    if (match(p + 1, name, k)) {
                        return true;
                    }
                    if (k < name.length() && c == '%' && name.charAt(k) == delimiter) {
                        return false;
                    }
                }
                return false;
            }
            if (n >= name.length() || name.charAt(n) != c) {
                return false;
            }
            p++;
            n++;
        }
        return n == name.length();
    }
}
