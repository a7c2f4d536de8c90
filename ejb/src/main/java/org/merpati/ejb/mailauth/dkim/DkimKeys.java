package org.merpati.ejb.mailauth.dkim;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Key encodings DKIM uses: RSA public keys as SubjectPublicKeyInfo (what RFC 6376 publishes; a bare PKCS#1
 * RSAPublicKey, which some publish, is accepted too), Ed25519 public keys as the raw 32 bytes (RFC 8463), and
 * private keys as PKCS#8 (an Ed25519 private key may also be given as its raw 32-byte seed).
 */
public final class DkimKeys {

    /** DER of SubjectPublicKeyInfo { id-Ed25519 } up to the 32 key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = hex("302a300506032b6570032100");
    /** DER of PKCS#8 PrivateKeyInfo { id-Ed25519 } up to the 32 seed bytes. */
    private static final byte[] ED25519_PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }. */
    private static final byte[] RSA_ALGORITHM_ID = hex("300d06092a864886f70d0101010500");

    private DkimKeys() {
    }

    /** The public key a key record's {@code p=} value (base64, whitespace removed) describes. */
    public static PublicKey publicKey(DkimAlgorithm algorithm, byte[] data) throws GeneralSecurityException {
        if (algorithm == DkimAlgorithm.ED25519_SHA256) {
            if (data.length != 32) {
                throw new GeneralSecurityException("an Ed25519 key has 32 bytes, not " + data.length);
            }
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI_PREFIX, data)));
        }
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        try {
            return rsa.generatePublic(new X509EncodedKeySpec(data));
        } catch (GeneralSecurityException notSpki) {
            return rsa.generatePublic(new X509EncodedKeySpec(pkcs1ToSpki(data)));
        }
    }

    /** The {@code p=} value (base64) to publish for a public key. */
    public static String publishedValue(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if ("RSA".equals(key.getAlgorithm())) {
            return Base64.getEncoder().encodeToString(encoded);
        }
        // Ed25519: the raw key is the last 32 bytes of the SubjectPublicKeyInfo
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
    }

    /** A private key from PKCS#8 DER; for Ed25519 a raw 32-byte seed is accepted too. */
    public static PrivateKey privateKey(DkimAlgorithm algorithm, byte[] data) throws GeneralSecurityException {
        if (algorithm == DkimAlgorithm.ED25519_SHA256) {
            byte[] pkcs8 = data.length == 32 ? concat(ED25519_PKCS8_PREFIX, data) : data;
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        }
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(data));
    }

    /** The modulus size of an RSA key in bits, or 0 for other keys. */
    public static int rsaBits(java.security.Key key) {
        return key instanceof RSAKey rsa ? rsa.getModulus().bitLength() : 0;
    }

    /** Wraps a PKCS#1 RSAPublicKey in a SubjectPublicKeyInfo. */
    static byte[] pkcs1ToSpki(byte[] pkcs1) {
        byte[] bitString = der(0x03, concat(new byte[] {0}, pkcs1));
        return der(0x30, concat(RSA_ALGORITHM_ID, bitString));
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length & 0xff);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write((length >> 8) & 0xff);
            out.write(length & 0xff);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
