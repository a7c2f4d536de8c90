package org.merpati.connector.netty;

import java.util.Locale;

/** How a listener uses TLS. */
public enum TlsMode {
    /** Clear text only. */
    NONE,
    /** Clear text that may be upgraded by the protocol's STARTTLS command (RFC 3207). */
    STARTTLS,
    /** TLS from the first byte (RFC 8314, ports 465/993/995). */
    IMPLICIT;

    /** Parses a configuration value, any case. */
    public static TlsMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("tlsMode must be NONE, STARTTLS or IMPLICIT, not " + value, e);
        }
    }
}
