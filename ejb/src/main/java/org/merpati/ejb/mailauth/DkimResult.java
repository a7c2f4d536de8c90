package org.merpati.ejb.mailauth;

/**
 * The outcome for one DKIM-Signature header field (RFC 6376 section 3.9, RFC 8601 result names).
 *
 * @param result    pass, fail, neutral, policy, temperror or permerror
 * @param domain    the d= tag, lower case (null when the signature was too broken to have one)
 * @param selector  the s= tag
 * @param identity  the i= tag, or "@" + d= when absent
 * @param algorithm the a= tag (rsa-sha256, ed25519-sha256)
 * @param signaturePrefix the first 8 characters of b=, for {@code header.b} (RFC 6008)
 * @param reason    a short human-readable reason for anything but pass, else null
 */
public record DkimResult(String result, String domain, String selector, String identity, String algorithm,
                         String signaturePrefix, String reason) {

    public boolean isPass() {
        return "pass".equals(result);
    }
}
