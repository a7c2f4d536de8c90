package org.merpati.ejb.submission;

import java.util.function.Function;
import org.merpati.ejb.platform.MerpatiConfig;

/**
 * Configuration of message submission. Keys and defaults:
 * <ul>
 *   <li>{@code MERPATI_SUBMISSION_RATE_PER_SENDER} (500): messages one account may submit per hour, counted on
 *       each node separately; 0 means no limit.</li>
 *   <li>{@code MERPATI_SUBMISSION_RATE_PER_DOMAIN} (1000): messages per hour to one remote recipient domain,
 *       all accounts together, per node; local domains are not limited; 0 means no limit.</li>
 *   <li>{@code MERPATI_SUBMISSION_HIDE_CLIENT_IP} (false): whether the Received field of submitted mail leaves
 *       out the client's address and EHLO name (both tell the world the sender's network).</li>
 * </ul>
 * {@code MERPATI_HOSTNAME} (see {@link MerpatiConfig}) names this server in Received and Message-ID.
 *
 * @param perSenderPerHour messages per account and hour, 0 = unlimited
 * @param perDomainPerHour messages per remote domain and hour, 0 = unlimited
 * @param hideClientIp     leave the client's address and EHLO name out of the trace field
 * @param hostname         this server's name
 */
public record SubmissionSettings(long perSenderPerHour, long perDomainPerHour, boolean hideClientIp,
                                 String hostname) {

    public static final long DEFAULT_RATE_PER_SENDER = 500;
    public static final long DEFAULT_RATE_PER_DOMAIN = 1000;

    public SubmissionSettings {
        if (perSenderPerHour < 0 || perDomainPerHour < 0) {
            throw new IllegalArgumentException("submission rates must not be negative");
        }
    }

    public static SubmissionSettings from(MerpatiConfig config) {
        return from(config::value, config.hostname());
    }

    /** @param values a key's value, or null when unset */
    static SubmissionSettings from(Function<String, String> values, String hostname) {
        return new SubmissionSettings(
                number(values, "MERPATI_SUBMISSION_RATE_PER_SENDER", DEFAULT_RATE_PER_SENDER),
                number(values, "MERPATI_SUBMISSION_RATE_PER_DOMAIN", DEFAULT_RATE_PER_DOMAIN),
                Boolean.parseBoolean(values.apply("MERPATI_SUBMISSION_HIDE_CLIENT_IP")),
                hostname);
    }

    private static long number(Function<String, String> values, String key, long fallback) {
        String value = values.apply(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 0) {
                throw new IllegalArgumentException(key + " must not be negative: " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + value, e);
        }
    }
}
