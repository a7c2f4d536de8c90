package org.merpati.ejb.mailauth.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Keys for tests: generated once per JVM (RSA generation is slow), plus the RFC 8463 Ed25519 key. */
public final class DkimTestKeys {

    public static final KeyPair RSA_2048 = generate("RSA", 2048);
    public static final KeyPair RSA_512 = generate("RSA", 512);
    public static final KeyPair ED25519 = generate("Ed25519", 0);

    private DkimTestKeys() {
    }

    public static SigningKey rsa(String domain, String selector) {
        return new SigningKey(domain, selector, DkimAlgorithm.RSA_SHA256, RSA_2048.getPrivate());
    }

    public static SigningKey ed25519(String domain, String selector) {
        return new SigningKey(domain, selector, DkimAlgorithm.ED25519_SHA256, ED25519.getPrivate());
    }

    public static String rsaRecord() {
        return "v=DKIM1; k=rsa; p=" + DkimKeys.publishedValue(RSA_2048.getPublic());
    }

    public static String ed25519Record() {
        return "v=DKIM1; k=ed25519; p=" + DkimKeys.publishedValue(ED25519.getPublic());
    }

    public static SigningKey rfc8463Ed25519() {
        try {
            return new SigningKey("football.example.com", "brisbane", DkimAlgorithm.ED25519_SHA256,
                    DkimKeys.privateKey(DkimAlgorithm.ED25519_SHA256,
                            Base64.getDecoder().decode(RfcVectors.RFC8463_ED25519_SEED)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate(String algorithm, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (bits > 0) {
                generator.initialize(bits);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
