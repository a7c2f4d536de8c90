package org.merpati.connector.pop3.proto;

import org.merpati.connector.sasl.AuthFailureDelay;

/**
 * The limits and switches of POP3 sessions on one listener.
 *
 * @param serverName              host name in the greeting and sign-off
 * @param maxLineLength           longest command or SASL response line in octets, CRLF not counted
 * @param maxErrors               -ERR replies (other than failed logins) before the connection is closed
 * @param maxAuthFailures         failed logins before the connection is closed
 * @param authFailureDelayMillis  delay before the first failed login is answered; doubles with each failure
 * @param allowPlaintextAuth      whether USER/PASS and AUTH are allowed without TLS
 * @param startTlsAvailable       whether STLS is offered (the listener's TLS mode is STARTTLS)
 */
public record Pop3SessionConfig(String serverName, int maxLineLength, int maxErrors, int maxAuthFailures,
                                long authFailureDelayMillis, boolean allowPlaintextAuth, boolean startTlsAvailable) {

    /** Delay before the first failed login is answered, when not configured otherwise. */
    public static final long DEFAULT_AUTH_FAILURE_DELAY_MILLIS = AuthFailureDelay.DEFAULT_BASE_MILLIS;
    /** The longest delay, however many failures. */
    public static final long MAX_AUTH_FAILURE_DELAY_MILLIS = AuthFailureDelay.MAX_MILLIS;

    public Pop3SessionConfig {
        if (maxLineLength < 255) {
            throw new IllegalArgumentException("maxLineLength must be at least 255 (RFC 2449), not " + maxLineLength);
        }
        if (maxErrors < 1 || maxAuthFailures < 1 || authFailureDelayMillis < 0) {
            throw new IllegalArgumentException("maxErrors and maxAuthFailures must be positive, the delay not negative");
        }
    }

    /** The delay before answering the n-th failed login (1-based): doubling, capped. */
    public long authFailureDelay(int failures) {
        return AuthFailureDelay.millis(authFailureDelayMillis, failures);
    }
}
