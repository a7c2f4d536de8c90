package org.merpati.ejb.mailauth;

/**
 * The ARC chain validation outcome (RFC 8617 section 5.2).
 *
 * @param result       none, pass or fail
 * @param instances    the highest ARC instance found (0 when none)
 * @param oldestPassingDomain d= of the oldest ARC-Seal whose instance the chain vouches for (for DMARC local
 *                     policy overrides, RFC 8617 section 7.2.1), or null
 * @param reason       why it failed, or null
 */
public record ArcResult(String result, int instances, String oldestPassingDomain, String reason) {

    public static final ArcResult NONE = new ArcResult("none", 0, null, null);
}
