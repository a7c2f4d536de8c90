package org.merpati.connector.smtp.proto;

/**
 * Textual checks of IPv4 and IPv6 addresses (RFC 5321 section 4.1.3). Written out rather than handed to
 * {@code InetAddress.getByName}, which would start a DNS lookup for anything it does not recognise as a literal.
 */
final class IpLiterals {

    private IpLiterals() {
    }

    static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        String text = s;
        int lastColon = text.lastIndexOf(':');
        if (lastColon < 0) {
            return false;
        }
        if (text.indexOf('.', lastColon) > 0) {
            // IPv6v4 forms: the last 32 bits written as an IPv4 address count as two hex groups
            if (!isIpv4(text.substring(lastColon + 1))) {
                return false;
            }
            text = text.substring(0, lastColon + 1) + "0:0";
        }
        int compress = text.indexOf("::");
        if (compress < 0) {
            return countGroups(text) == 8;
        }
        if (text.indexOf("::", compress + 1) >= 0) {
            return false;
        }
        String head = text.substring(0, compress);
        String tail = text.substring(compress + 2);
        int h = head.isEmpty() ? 0 : countGroups(head);
        int t = tail.isEmpty() ? 0 : countGroups(tail);
        // "::" stands for at least one zero group
        return h >= 0 && t >= 0 && h + t <= 7;
    }

    private static int countGroups(String text) {
        String[] parts = text.split(":", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return -1;
            }
        }
        return parts.length;
    }
}
