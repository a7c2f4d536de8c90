package org.merpati.ejb.mailauth.arc;

import org.merpati.ejb.mailauth.dkim.HeaderField;

/** The three header fields of one ARC instance. */
public record ArcSet(int instance, HeaderField authResults, HeaderField messageSignature, HeaderField seal) {

    public static final String SEAL = "ARC-Seal";
    public static final String MESSAGE_SIGNATURE = "ARC-Message-Signature";
    public static final String AUTHENTICATION_RESULTS = "ARC-Authentication-Results";
}
