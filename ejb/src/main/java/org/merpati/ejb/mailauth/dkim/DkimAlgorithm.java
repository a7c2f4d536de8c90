package org.merpati.ejb.mailauth.dkim;

/**
 * The signing algorithms we sign and verify with. rsa-sha1 is refused (RFC 8301). For ed25519-sha256 the
 * signature is over the SHA-256 hash of the header data (RFC 8463 section 3), not over the data itself.
 */
public enum DkimAlgorithm {
    RSA_SHA256("rsa-sha256", "rsa", "SHA256withRSA"),
    ED25519_SHA256("ed25519-sha256", "ed25519", "Ed25519");

    private final String tagValue;
    private final String keyType;
    private final String jcaName;

    DkimAlgorithm(String tagValue, String keyType, String jcaName) {
        this.tagValue = tagValue;
        this.keyType = keyType;
        this.jcaName = jcaName;
    }

    /** The {@code a=} value. */
    public String tagValue() {
        return tagValue;
    }

    /** The key record's {@code k=} value. */
    public String keyType() {
        return keyType;
    }

    /** The JCA signature algorithm. */
    public String jcaName() {
        return jcaName;
    }

    /** Whether the signed data is hashed first (ed25519-sha256) rather than handed to the signature as is. */
    public boolean prehashes() {
        return this == ED25519_SHA256;
    }

    /** The algorithm named by an {@code a=} value, or null when we do not support it. */
    public static DkimAlgorithm fromTag(String value) {
        for (DkimAlgorithm algorithm : values()) {
            if (algorithm.tagValue.equalsIgnoreCase(value)) {
                return algorithm;
            }
        }
        return null;
    }
}
