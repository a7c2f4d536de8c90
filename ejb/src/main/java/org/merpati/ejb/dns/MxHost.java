package org.merpati.ejb.dns;

/**
 * One MX record.
 *
 * @param preference lower is tried first (RFC 5321 section 5.1)
 * @param host       the exchange's name without the trailing dot, lower case; "" for a null MX (RFC 7505)
 */
public record MxHost(int preference, String host) {

    /** RFC 7505: the domain accepts no mail. */
    public boolean isNullMx() {
        return host.isEmpty();
    }
}
