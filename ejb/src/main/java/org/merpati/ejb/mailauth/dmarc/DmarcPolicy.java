package org.merpati.ejb.mailauth.dmarc;

import java.util.Locale;

/** What a domain owner asks receivers to do with mail that fails DMARC (RFC 7489 section 6.3, p= and sp=). */
public enum DmarcPolicy {
    NONE, QUARANTINE, REJECT;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The next less strict policy: what pct= sampling applies to messages not sampled (section 6.6.4). */
    DmarcPolicy lessStrict() {
        return this == REJECT ? QUARANTINE : NONE;
    }

    static DmarcPolicy parse(String value) {
        return switch (value) {
            case "none" -> NONE;
            case "quarantine" -> QUARANTINE;
            case "reject" -> REJECT;
            default -> null;
        };
    }
}
