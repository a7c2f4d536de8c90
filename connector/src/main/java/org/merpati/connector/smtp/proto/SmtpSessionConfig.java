package org.merpati.connector.smtp.proto;

/**
 * The limits and options of one SMTP or LMTP listener.
 *
 * @param serverName        the name in the greeting and the EHLO reply
 * @param lmtp              LMTP (RFC 2033) instead of SMTP
 * @param maxLineLength     longest command line in octets, CRLF not counted; longer lines answer 500 5.5.2
 * @param maxMessageSize    largest message in octets; advertised in SIZE; larger ones answer 552 5.3.4
 * @param maxRecipients     recipients per transaction; more answer 452 4.5.3
 * @param maxErrors         negative replies before the session is closed with 421 4.7.0
 * @param vrfyEnabled       whether VRFY asks the endpoint (true) or answers 252 2.5.2 without looking (false)
 * @param startTlsAvailable whether STARTTLS is offered (TLS configured and not already active)
 */
public record SmtpSessionConfig(String serverName, boolean lmtp, int maxLineLength, long maxMessageSize,
                                int maxRecipients, int maxErrors, boolean vrfyEnabled, boolean startTlsAvailable) {

    public SmtpSessionConfig {
        if (maxLineLength < 510) {
            throw new IllegalArgumentException("maxLineLength below the RFC 5321 minimum of 510: " + maxLineLength);
        }
        if (maxMessageSize < 1 || maxRecipients < 1 || maxErrors < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
