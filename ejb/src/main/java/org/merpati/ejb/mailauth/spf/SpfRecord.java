package org.merpati.ejb.mailauth.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed SPF record (RFC 7208 sections 4.6 and 5, ABNF of section 12). Parsing checks the whole record, macro
 * syntax included, because a syntax error anywhere makes the result permerror before anything is evaluated.
 *
 * @param directives the mechanisms in record order
 * @param redirect   the redirect= domain-spec, or null
 * @param exp        the exp= domain-spec, or null
 */
record SpfRecord(List<Directive> directives, String redirect, String exp) {

    enum Mechanism { ALL, INCLUDE, A, MX, PTR, IP4, IP6, EXISTS;

        /** The mechanisms that cost a DNS query and count against the limit of 10 (section 4.6.4). */
        boolean queriesDns() {
            return this == INCLUDE || this == A || this == MX || this == PTR || this == EXISTS;
        }
    }

    /**
     * One directive.
     *
     * @param domainSpec the unexpanded domain-spec, or null when the mechanism has none (a, mx, ptr default to
     *                   the current domain)
     * @param network    for ip4/ip6, the network address
     * @param cidr4      the IPv4 prefix length (32 when absent)
     * @param cidr6      the IPv6 prefix length (128 when absent)
     */
    record Directive(char qualifier, Mechanism mechanism, String domainSpec, InetAddress network, int cidr4,
                     int cidr6) {
    }

    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]*)=(.*)", Pattern.DOTALL);
    private static final Pattern MECHANISM = Pattern.compile("([+?~-]?)([A-Za-z0-9]+)(.*)", Pattern.DOTALL);
    private static final Pattern CIDR_LENGTH = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern TOPLABEL = Pattern.compile(
            "[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9]");

    /** Whether a TXT record is an SPF version 1 record (section 4.5): "v=spf1" alone or followed by a space. */
    static boolean isSpf1(String txt) {
        return txt.length() >= 6 && txt.substring(0, 6).equalsIgnoreCase("v=spf1")
                && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    static SpfRecord parse(String text) throws SpfException {
        if (!isSpf1(text)) {
            throw SpfException.perm("not an SPF record");
        }
        List<Directive> directives = new ArrayList<>();
        String redirect = null;
        String exp = null;
        for (String term : text.substring(6).split(" ")) {
            if (term.isEmpty()) {
                continue;
            }
            Matcher modifier = MODIFIER.matcher(term);
            if (modifier.matches()) {
                String name = modifier.group(1).toLowerCase(Locale.ROOT);
                String value = modifier.group(2);
                switch (name) {
                    case "redirect" -> {
                        if (redirect != null) {
                            throw SpfException.perm("redirect= given twice");
                        }
                        redirect = checkDomainSpec(value);
                    }
                    case "exp" -> {
                        if (exp != null) {
                            throw SpfException.perm("exp= given twice");
                        }
                        exp = checkDomainSpec(value);
                    }
                    default -> SpfMacros.checkSyntax(value, false); // unknown modifiers are ignored, but must parse
                }
                continue;
            }
            directives.add(parseDirective(term));
        }
        return new SpfRecord(List.copyOf(directives), redirect, exp);
    }

    private static Directive parseDirective(String term) throws SpfException {
        Matcher m = MECHANISM.matcher(term);
        if (!m.matches()) {
            throw SpfException.perm("unknown term: " + term);
        }
        char qualifier = m.group(1).isEmpty() ? '+' : m.group(1).charAt(0);
        String name = m.group(2).toLowerCase(Locale.ROOT);
        String rest = m.group(3);
        Mechanism mechanism;
        try {
            mechanism = Mechanism.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SpfException.perm("unknown mechanism: " + term);
        }
        switch (mechanism) {
            case ALL -> {
                if (!rest.isEmpty()) {
                    throw SpfException.perm("all takes no argument: " + term);
                }
                return new Directive(qualifier, mechanism, null, null, 32, 128);
            }
            case INCLUDE, EXISTS -> {
                if (!rest.startsWith(":")) {
                    throw SpfException.perm(name + " needs a domain: " + term);
                }
                return new Directive(qualifier, mechanism, checkDomainSpec(rest.substring(1)), null, 32, 128);
            }
            case PTR -> {
                String spec = null;
                if (rest.startsWith(":")) {
                    spec = checkDomainSpec(rest.substring(1));
                } else if (!rest.isEmpty()) {
                    throw SpfException.perm("bad ptr: " + term);
                }
                return new Directive(qualifier, mechanism, spec, null, 32, 128);
            }
            case A, MX -> {
                int cidr4 = 32;
                int cidr6 = 128;
                int dual = rest.lastIndexOf("//");
                if (dual >= 0 && CIDR_LENGTH.matcher(rest.substring(dual + 2)).matches()) {
                    cidr6 = cidrLength(rest.substring(dual + 2), 128);
                    rest = rest.substring(0, dual);
                }
                int single = rest.lastIndexOf('/');
                if (single >= 0 && CIDR_LENGTH.matcher(rest.substring(single + 1)).matches()) {
                    cidr4 = cidrLength(rest.substring(single + 1), 32);
                    rest = rest.substring(0, single);
                }
                String spec = null;
                if (rest.startsWith(":")) {
                    spec = checkDomainSpec(rest.substring(1));
                } else if (!rest.isEmpty()) {
                    throw SpfException.perm("bad " + name + ": " + term);
                }
                return new Directive(qualifier, mechanism, spec, null, cidr4, cidr6);
            }
            case IP4 -> {
                if (!rest.startsWith(":")) {
                    throw SpfException.perm("ip4 needs a network: " + term);
                }
                String network = rest.substring(1);
                int cidr = 32;
                int slash = network.indexOf('/');
                if (slash >= 0) {
                    cidr = cidrLength(network.substring(slash + 1), 32);
                    network = network.substring(0, slash);
                }
                return new Directive(qualifier, mechanism, null, parseIp4(network), cidr, 128);
            }
            case IP6 -> {
                if (!rest.startsWith(":")) {
                    throw SpfException.perm("ip6 needs a network: " + term);
                }
                String network = rest.substring(1);
                int cidr = 128;
                int slash = network.indexOf('/');
                if (slash >= 0) {
                    cidr = cidrLength(network.substring(slash + 1), 128);
                    network = network.substring(0, slash);
                }
                return new Directive(qualifier, mechanism, null, parseIp6(network), 32, cidr);
            }
            default -> throw new IllegalStateException(name);
        }
    }

    private static int cidrLength(String text, int max) throws SpfException {
        if (!CIDR_LENGTH.matcher(text).matches()) {
            throw SpfException.perm("bad CIDR length: /" + text);
        }
        int length = Integer.parseInt(text);
        if (length > max) {
            throw SpfException.perm("CIDR length out of range: /" + text);
        }
        return length;
    }

    /** A dotted quad of dec-octets (no leading zeros, exactly four parts). */
    static InetAddress parseIp4(String text) throws SpfException {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw SpfException.perm("not an IPv4 address: " + text);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(parts[i]) > 255) {
                throw SpfException.perm("not an IPv4 address: " + text);
            }
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw SpfException.perm("not an IPv4 address: " + text);
        }
    }

    static InetAddress parseIp6(String text) throws SpfException {
        // only literal characters, so that InetAddress never turns this into a DNS query
        if (text.isEmpty() || !text.contains(":") || !text.matches("[0-9A-Fa-f:.]+")) {
            throw SpfException.perm("not an IPv6 address: " + text);
        }
        try {
            InetAddress address = InetAddress.getByName(text);
            if (!(address instanceof Inet6Address)) {
                // an IPv4-mapped literal: Java returns the IPv4 address; keep it as a 16-byte network
                byte[] v4 = address.getAddress();
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(v4, 0, mapped, 12, 4);
                return Inet6Address.getByAddress(null, mapped, -1);
            }
            return address;
        } catch (UnknownHostException e) {
            throw SpfException.perm("not an IPv6 address: " + text);
        }
    }

    /**
     * Checks a domain-spec (section 7.1): a valid macro-string whose end is either a macro-expand or a dot
     * followed by a top label (optionally a trailing dot). Returns it unchanged.
     */
    static String checkDomainSpec(String spec) throws SpfException {
        SpfMacros.checkSyntax(spec, false);
        // a trailing dot (an absolute name) is allowed after a macro too, as deployed records have it
        String trimmed = spec.endsWith(".") ? spec.substring(0, spec.length() - 1) : spec;
        if (trimmed.endsWith("}") && lastMacroEndsAtEnd(trimmed)) {
            return spec;
        }
        int dot = trimmed.lastIndexOf('.');
        if (dot < 0 || !TOPLABEL.matcher(trimmed.substring(dot + 1)).matches()) {
            throw SpfException.perm("bad domain-spec: " + spec);
        }
        return spec;
    }

    private static boolean lastMacroEndsAtEnd(String spec) {
        int open = spec.lastIndexOf("%{");
        return open >= 0 && spec.indexOf('}', open) == spec.length() - 1 && escapedPercentCount(spec, open) % 2 == 0;
    }

    private static int escapedPercentCount(String spec, int open) {
        int count = 0;
        for (int i = open - 1; i >= 0 && spec.charAt(i) == '%'; i--) {
            count++;
        }
        return count;
    }

    /** Whether {@code address} lies in {@code network}/{@code length}; families must agree. */
    static boolean inNetwork(InetAddress address, InetAddress network, int length) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int full = length / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != n[i]) {
                return false;
            }
        }
        int bits = length % 8;
        if (bits == 0) {
            return true;
        }
        int mask = (0xff << (8 - bits)) & 0xff;
        return (a[full] & mask) == (n[full] & mask);
    }

    static boolean isIp4(InetAddress address) {
        return address instanceof Inet4Address;
    }
}
