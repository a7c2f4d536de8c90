package org.merpati.ejb.mailauth.dmarc;

import java.util.Locale;

/** DMARC results as Authentication-Results names them (RFC 7489 section 11.2). */
public enum DmarcResult {
    NONE, PASS, FAIL, TEMPERROR, PERMERROR;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
