package org.merpati.ejb.domain;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * A mailbox address {@code local@domain} as it appears in an SMTP path, parsed strictly. The domain is kept
 * in lower case (IDNs as A-labels); the local part keeps its case, and {@link #canonical()} lower-cases it
 * because Merpati compares local parts case-insensitively.
 *
 * <p>Syntax errors throw {@link MailError#INVALID}. Forms that are syntactically possible but used to trick a
 * server into relaying ({@code %} or {@code !} in the local part, a quoted local part hiding an {@code @},
 * source routes) are parsed and reported by {@link #routingTrick()}, so the caller decides: a recipient is
 * refused, a sender need not be.
 */
public final class MailAddress {

    public static final int MAX_LENGTH = 320;

    private final String localPart;
    private final String domain;
    private final boolean ipLiteral;
    private final String routingTrick;

    private MailAddress(String localPart, String domain, boolean ipLiteral, String routingTrick) {
        this.localPart = localPart;
        this.domain = domain;
        this.ipLiteral = ipLiteral;
        this.routingTrick = routingTrick;
    }

    public static MailAddress parse(String address) {
        if (address == null || address.isEmpty()) {
            throw invalid("empty address");
        }
        if (address.length() > MAX_LENGTH) {
            throw invalid("address too long");
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalid("control character in address");
            }
        }
        String trick = null;
        String path = address;
        if (path.startsWith("@")) {
            // RFC 5321 source route "@relay1,@relay2:user@domain": obsolete, only ever used to relay
            int colon = path.indexOf(':');
            if (colon < 0) {
                throw invalid("malformed source route");
            }
            trick = "source route";
            path = path.substring(colon + 1);
        }
        String local;
        String rest;
        if (path.startsWith("\"")) {
            int close = closingQuote(path);
            local = path.substring(0, close + 1);
            rest = path.substring(close + 1);
            if (!rest.startsWith("@")) {
                throw invalid("missing @ after quoted local part");
            }
            if (local.indexOf('@') >= 0) {
                trick = trick != null ? trick : "@ in a quoted local part";
            }
        } else {
            int at = path.lastIndexOf('@');
            if (at < 0) {
                throw invalid("missing @");
            }
            local = path.substring(0, at);
            rest = path.substring(at);
            if (local.indexOf('@') >= 0) {
                trick = trick != null ? trick : "several @ in the address";
            }
            if (local.indexOf(' ') >= 0 || local.indexOf('"') >= 0 || local.indexOf('\\') >= 0) {
                throw invalid("unquoted special character in local part");
            }
            if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
                throw invalid("misplaced dot in local part");
            }
        }
        if (local.isEmpty() || local.length() > 64 + 2) {
            throw invalid("local part empty or longer than 64 octets");
        }
        if (trick == null && (local.indexOf('%') >= 0 || local.indexOf('!') >= 0)) {
            trick = local.indexOf('%') >= 0 ? "% in the local part" : "! in the local part";
        }
        String domainText = rest.substring(1);
        if (domainText.startsWith("[")) {
            if (!domainText.endsWith("]") || domainText.length() < 3 || domainText.indexOf(' ') >= 0) {
                throw invalid("malformed address literal");
            }
            return new MailAddress(local, domainText.toLowerCase(Locale.ROOT), true, trick);
        }
        return new MailAddress(local, normalizeDomain(domainText), false, trick);
    }

    /** Lower case, A-labels, and checks of RFC 1035 label syntax. */
    public static String normalizeDomain(String domain) {
        if (domain == null || domain.isEmpty()) {
            throw invalid("empty domain");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw invalid("invalid domain " + domain);
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        if (ascii.isEmpty() || ascii.length() > 253 || ascii.startsWith(".") || ascii.contains("..")) {
            throw invalid("invalid domain " + domain);
        }
        return ascii;
    }

    private static int closingQuote(String path) {
        for (int i = 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        throw invalid("unterminated quoted local part");
    }

    private static MailException invalid(String why) {
        return new MailException(MailError.INVALID, "bad address syntax: " + why);
    }

    public String localPart() {
        return localPart;
    }

    public String domain() {
        return domain;
    }

    public boolean isIpLiteral() {
        return ipLiteral;
    }

    /** Why this address looks like an attempt to relay through us, if it does. */
    public Optional<String> routingTrick() {
        return Optional.ofNullable(routingTrick);
    }

    /** The form stored in the directory: local part and domain in lower case. */
    public String canonical() {
        return localPart.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    /** {@code user+tag@domain} → {@code user@domain} (canonical), or empty when there is no tag. */
    public Optional<String> withoutSubaddress() {
        int plus = localPart.indexOf('+');
        if (plus <= 0 || localPart.startsWith("\"")) {
            return Optional.empty();
        }
        return Optional.of(localPart.substring(0, plus).toLowerCase(Locale.ROOT) + "@" + domain);
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }
}
