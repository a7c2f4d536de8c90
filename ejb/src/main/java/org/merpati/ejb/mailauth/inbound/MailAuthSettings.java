package org.merpati.ejb.mailauth.inbound;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import org.merpati.ejb.platform.MerpatiConfig;

/**
 * Configuration of inbound mail authentication on the MX port.
 *
 * <ul>
 *   <li>{@code MERPATI_MAIL_AUTH} (default {@code true}): SPF, DKIM, ARC and DMARC checks and the
 *       Authentication-Results field on mail received on the MX port; {@code false} turns all of it off (for a
 *       server behind another MX that checks already) and costs nothing then.</li>
 *   <li>{@code MERPATI_DMARC_TEMPERROR_DEFER} (default {@code false}): answer {@code 451 4.7.0} when DMARC cannot
 *       be decided because DNS failed temporarily; by default such mail is stored with the temperror results.</li>
 *   <li>{@code MERPATI_DMARC_TRUST_ARC} (default {@code false}): a failing DMARC policy is not applied when the
 *       message's ARC chain passes and its oldest passing sealer is trusted (RFC 8617 section 7.2.1).</li>
 *   <li>{@code MERPATI_ARC_TRUSTED_SEALERS} (default empty): comma-separated sealer domains (ARC-Seal d=) trusted
 *       for that.</li>
 * </ul>
 * The authserv-id is {@code MERPATI_HOSTNAME} ({@link MerpatiConfig#hostname()}).
 */
public record MailAuthSettings(boolean enabled, boolean deferOnTempError, boolean trustArc,
                               Set<String> trustedSealers, String authservId) {

    public MailAuthSettings {
        trustedSealers = Set.copyOf(trustedSealers);
    }

    public static MailAuthSettings from(MerpatiConfig config) {
        return from(config::value, config.hostname());
    }

    static MailAuthSettings from(Function<String, String> config, String hostname) {
        Set<String> sealers = new LinkedHashSet<>();
        String list = config.apply("MERPATI_ARC_TRUSTED_SEALERS");
        if (list != null) {
            for (String sealer : list.split(",")) {
                if (!sealer.isBlank()) {
                    sealers.add(sealer.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new MailAuthSettings(flag(config, "MERPATI_MAIL_AUTH", true),
                flag(config, "MERPATI_DMARC_TEMPERROR_DEFER", false), flag(config, "MERPATI_DMARC_TRUST_ARC", false),
                sealers, hostname);
    }

    private static boolean flag(Function<String, String> config, String key, boolean defaultValue) {
        String value = config.apply(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, not " + value);
        };
    }
}
