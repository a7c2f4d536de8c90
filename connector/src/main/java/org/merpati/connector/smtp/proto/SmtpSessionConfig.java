package org.merpati.connector.smtp.proto;

import org.merpati.connector.sasl.AuthFailureDelay;

/**
 * The limits and options of one SMTP, LMTP or submission listener.
 *
 * @param serverName        the name in the greeting and the EHLO reply
 * @param lmtp              LMTP (RFC 2033) instead of SMTP
 * @param maxLineLength     longest command line in octets, CRLF not counted; longer lines answer 500 5.5.2. It
 *                          also bounds the AUTH line and each SASL response (longer ones answer 500 5.5.6)
 * @param maxMessageSize    largest message in octets; advertised in SIZE; larger ones answer 552 5.3.4
 * @param maxRecipients     recipients per transaction; more answer 452 4.5.3
 * @param maxErrors         negative replies (failed logins not counted) before the session is closed with 421 4.7.0
 * @param vrfyEnabled       whether VRFY asks the endpoint (true) or answers 252 2.5.2 without looking (false)
 * @param startTlsAvailable whether STARTTLS is offered (TLS configured and not already active)
 * @param submission        message submission (RFC 6409): AUTH (RFC 4954) is offered and required before MAIL.
 *                          MX and LMTP listeners leave it off and know nothing of AUTH
 * @param allowPlaintextAuth whether AUTH is allowed without TLS (submission only; off in any sane deployment)
 * @param maxAuthFailures   failed AUTH attempts before the session is closed with 421 4.7.0
 * @param authFailureDelayMillis delay before the first failed AUTH is answered; doubles with each further failure
 *                          (see {@link AuthFailureDelay})
 */
public record SmtpSessionConfig(String serverName, boolean lmtp, int maxLineLength, long maxMessageSize,
                                int maxRecipients, int maxErrors, boolean vrfyEnabled, boolean startTlsAvailable,
                                boolean submission, boolean allowPlaintextAuth, int maxAuthFailures,
                                long authFailureDelayMillis) {

    /** Failed AUTH attempts before the session is closed, when not configured otherwise. */
    public static final int DEFAULT_MAX_AUTH_FAILURES = 3;

    public SmtpSessionConfig {
        if (maxLineLength < 510) {
            throw new IllegalArgumentException("maxLineLength below the RFC 5321 minimum of 510: " + maxLineLength);
        }
        if (maxMessageSize < 1 || maxRecipients < 1 || maxErrors < 1 || maxAuthFailures < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (authFailureDelayMillis < 0) {
            throw new IllegalArgumentException("authFailureDelayMillis must not be negative");
        }
        if (submission && lmtp) {
            throw new IllegalArgumentException("LMTP has no submission mode");
        }
    }

    /** An MX (SMTP) or LMTP listener: no AUTH. */
    public SmtpSessionConfig(String serverName, boolean lmtp, int maxLineLength, long maxMessageSize,
                             int maxRecipients, int maxErrors, boolean vrfyEnabled, boolean startTlsAvailable) {
        this(serverName, lmtp, maxLineLength, maxMessageSize, maxRecipients, maxErrors, vrfyEnabled, startTlsAvailable,
            false, false, DEFAULT_MAX_AUTH_FAILURES, AuthFailureDelay.DEFAULT_BASE_MILLIS);
    }

    /** This configuration as a submission listener (RFC 6409) with the given AUTH policy. */
    public SmtpSessionConfig asSubmission(boolean plaintextAuth, int authFailures, long failureDelayMillis) {
        return new SmtpSessionConfig(serverName, lmtp, maxLineLength, maxMessageSize, maxRecipients, maxErrors, vrfyEnabled,
            startTlsAvailable, true, plaintextAuth, authFailures, failureDelayMillis);
    }
}
