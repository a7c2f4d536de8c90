package org.merpati.ejb.mailauth.dkim;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A DKIM key record ({@code selector._domainkey.domain} TXT, RFC 6376 section 3.6.1).
 *
 * @param keyType     the {@code k=} value (default rsa)
 * @param publicKey   the decoded key, or null when {@code p=} is empty (the key is revoked)
 * @param hashes      the {@code h=} hash algorithms allowed, empty when any is
 * @param testing     {@code t=y}
 * @param strict      {@code t=s}: the signature's {@code i=} domain must equal {@code d=}, not a subdomain
 */
public record DkimKeyRecord(String keyType, PublicKey publicKey, List<String> hashes, boolean testing, boolean strict) {

    /** The smallest RSA key we accept (RFC 8301 section 3.2). */
    public static final int MIN_RSA_BITS = 1024;

    public boolean revoked() {
        return publicKey == null;
    }

    /**
     * Parses a key record for a signature made with {@code algorithm}.
     *
     * @throws DkimFailure permerror when the record is malformed or does not fit the algorithm (revoked keys are
     *                     returned, the caller decides)
     */
    public static DkimKeyRecord parse(String text, DkimAlgorithm algorithm) throws DkimFailure {
        TagList tags;
        try {
            tags = TagList.parse(text);
        } catch (IllegalArgumentException e) {
            throw DkimFailure.permerror("key record syntax: " + e.getMessage());
        }
        String version = tags.get("v");
        if (version != null && (!version.equals("DKIM1") || !tags.asMap().keySet().iterator().next().equals("v"))) {
            throw DkimFailure.permerror("key record version is not DKIM1 first");
        }
        String keyType = tags.has("k") ? tags.get("k").toLowerCase(Locale.ROOT) : "rsa";
        if (!keyType.equals(algorithm.keyType())) {
            throw DkimFailure.permerror("key type " + keyType + " does not fit " + algorithm.tagValue());
        }
        List<String> hashes = list(tags.get("h"));
        if (!hashes.isEmpty() && !hashes.contains("sha256")) {
            throw DkimFailure.permerror("key record does not allow sha256");
        }
        List<String> services = list(tags.get("s"));
        if (!services.isEmpty() && !services.contains("*") && !services.contains("email")) {
            throw DkimFailure.permerror("key is not for email");
        }
        List<String> flags = list(tags.get("t"));
        String p = tags.get("p");
        if (p == null) {
            throw DkimFailure.permerror("key record without p=");
        }
        String base64 = TagList.compactBase64(p);
        PublicKey key = null;
        if (!base64.isEmpty()) {
            try {
                key = DkimKeys.publicKey(algorithm, Base64.getDecoder().decode(base64));
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                throw DkimFailure.permerror("key record p= is not a usable " + keyType + " key");
            }
            int bits = DkimKeys.rsaBits(key);
            if (algorithm == DkimAlgorithm.RSA_SHA256 && bits < MIN_RSA_BITS) {
                throw DkimFailure.permerror("RSA key of " + bits + " bits is too short (RFC 8301)");
            }
        }
        return new DkimKeyRecord(keyType, key, hashes, flags.contains("y"), flags.contains("s"));
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(":")).map(s -> TagList.stripFws(s).toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList();
    }
}
