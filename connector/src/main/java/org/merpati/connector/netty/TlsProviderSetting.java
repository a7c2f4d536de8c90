package org.merpati.connector.netty;

import java.security.GeneralSecurityException;
import java.util.Locale;

import io.netty.handler.ssl.SslProvider;

/**
 * {@code MERPATI_TLS_PROVIDER}: which TLS implementation every listener uses. Looked up like every Merpati key
 * (system property {@code merpati.tls.provider} first, then the environment variable), but here: the resource
 * adapter cannot see the ejb module's {@code MerpatiConfig}.
 */
public enum TlsProviderSetting {

    /** OpenSSL when its native library loads on this platform, else the JDK. */
    AUTO,
    /**
     * Always the JDK's SSLEngine; the native library is not even loaded. The default: with 10,000 clients
     * connecting at once, OpenSSL left 4,000 handshakes unfinished where the JDK left 167, and each idle
     * OpenSSL connection held about 20 KiB more native memory (docs/architecture-decisions.md).
     */
    JDK,
    /** Always OpenSSL; a listener fails to start when it is unavailable. */
    OPENSSL;

    public static final String KEY = "MERPATI_TLS_PROVIDER";
    static final String PROPERTY = "merpati.tls.provider";

    /** The setting of this process, read at each call (listeners start rarely). */
    public static TlsProviderSetting current() {
        String property = System.getProperty(PROPERTY);
        return parse(property != null ? property : System.getenv(KEY));
    }

    /** {@code auto}, {@code jdk} or {@code openssl} in any case; null or blank means {@link #JDK}. */
    public static TlsProviderSetting parse(String value) {
        if (value == null || value.isBlank()) {
            return JDK;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY + " must be auto, jdk or openssl, not '" + value + "'", e);
        }
    }

    /**
     * The provider this setting picks, given whether OpenSSL is available on this platform (a pure function, so the
     * choice is testable without or with the native library).
     *
     * @param unavailabilityCause why OpenSSL is unavailable, for the message; may be null
     * @throws GeneralSecurityException when OpenSSL is required and unavailable
     */
    public SslProvider choose(boolean openSslAvailable, Throwable unavailabilityCause) throws GeneralSecurityException {
        return switch (this) {
            case JDK -> SslProvider.JDK;
            case AUTO -> openSslAvailable ? SslProvider.OPENSSL : SslProvider.JDK;
            case OPENSSL -> {
                if (!openSslAvailable) {
                    throw new GeneralSecurityException(KEY + "=openssl, but OpenSSL (netty-tcnative BoringSSL) cannot be used here: "
                        + unavailabilityCause + "; set " + KEY + "=auto or jdk to use the JDK's TLS", unavailabilityCause);
                }
                yield SslProvider.OPENSSL;
            }
        };
    }

    /** Lower case, as written in the configuration. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
