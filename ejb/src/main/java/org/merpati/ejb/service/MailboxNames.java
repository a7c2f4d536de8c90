package org.merpati.ejb.service;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailAccessException.Kind;

/**
 * Mailbox names as stored: Unicode in NFC (RFC 9051 section 5.1 via RFC 5198), {@code /} as hierarchy
 * delimiter, {@code INBOX} in upper case whatever case the client used (also as the first level of
 * {@code INBOX/child}). Everything else is case-sensitive.
 */
public final class MailboxNames {

    public static final char DELIMITER = '/';
    /** The name column's length (mailboxes.name is VARCHAR(1000)). */
    public static final int MAX_LENGTH = 1000;
    /** Levels of hierarchy: bounds the parents CREATE makes and the work of RENAME. */
    public static final int MAX_DEPTH = 32;

    private MailboxNames() {
    }

    /**
     * Validates a client-supplied name and returns its stored form.
     *
     * @throws MailAccessException INVALID for empty names, wildcards, control characters, a leading or
     *                             trailing delimiter, empty levels, or names too long or too deep
     */
    public static String canonical(String name) throws MailAccessException {
        if (name == null || name.isEmpty()) {
            throw invalid("Mailbox name is empty");
        }
        String n = Normalizer.normalize(name, Normalizer.Form.NFC);
        if (n.length() > MAX_LENGTH) {
            throw invalid("Mailbox name is too long");
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                throw invalid("Mailbox name contains a control character");
            }
            if (c == '*' || c == '%') {
                throw invalid("Mailbox name contains a wildcard");
            }
        }
        if (n.charAt(0) == DELIMITER || n.charAt(n.length() - 1) == DELIMITER || n.contains("//")) {
            throw invalid("Mailbox name has an empty hierarchy level");
        }
        if (n.chars().filter(c -> c == DELIMITER).count() >= MAX_DEPTH) {
            throw invalid("Mailbox name is nested too deeply");
        }
        int slash = n.indexOf(DELIMITER);
        String first = slash < 0 ? n : n.substring(0, slash);
        if (first.equalsIgnoreCase(MailboxAppender.INBOX)) {
            n = MailboxAppender.INBOX + n.substring(first.length());
        }
        return n;
    }

    public static boolean isInbox(String canonical) {
        return MailboxAppender.INBOX.equals(canonical);
    }

    /** The superior names of a canonical name, outermost first: {@code a/b/c} gives {@code a}, {@code a/b}. */
    public static List<String> parents(String canonical) {
        List<String> out = new ArrayList<>();
        for (int i = canonical.indexOf(DELIMITER); i >= 0; i = canonical.indexOf(DELIMITER, i + 1)) {
            out.add(canonical.substring(0, i));
        }
        return out;
    }

    /** Whether {@code name} is {@code ancestor} or lies below it. */
    public static boolean isSelfOrChild(String name, String ancestor) {
        return name.equals(ancestor) || name.startsWith(ancestor + DELIMITER);
    }

    /** The special-use attribute as stored, from what CREATE asked for (any case), or null for none. */
    public static String storedSpecialUse(String requested) throws MailAccessException {
        if (requested == null || requested.isEmpty()) {
            return null;
        }
        for (String stored : List.of("\\Archive", "\\Drafts", "\\Junk", "\\Sent", "\\Trash")) {
            if (stored.equalsIgnoreCase(requested)) {
                return stored;
            }
        }
        String lower = requested.toLowerCase(Locale.ROOT);
        if (lower.equals("\\all") || lower.equals("\\flagged")) {
            // virtual mailboxes: not supported, and RFC 6154 says not to create the mailbox then
            throw new MailAccessException(Kind.CANNOT, "Special use " + requested + " is not supported");
        }
        throw new MailAccessException(Kind.CANNOT, "Unknown special use " + requested);
    }

    private static MailAccessException invalid(String message) {
        return new MailAccessException(Kind.INVALID, message);
    }
}
