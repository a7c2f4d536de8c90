package org.merpati.ejb.mailauth.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** The signature step of both algorithms; ed25519-sha256 signs the SHA-256 of the data (RFC 8463 section 3). */
public final class Signatures {

    private Signatures() {
    }

    public static byte[] sign(DkimAlgorithm algorithm, PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(algorithm.jcaName());
        signature.initSign(key);
        signature.update(input(algorithm, data));
        return signature.sign();
    }

    public static boolean verify(DkimAlgorithm algorithm, PublicKey key, byte[] data, byte[] signed)
            throws GeneralSecurityException {
        Signature signature = Signature.getInstance(algorithm.jcaName());
        signature.initVerify(key);
        signature.update(input(algorithm, data));
        try {
            return signature.verify(signed);
        } catch (java.security.SignatureException malformed) {
            return false;
        }
    }

    private static byte[] input(DkimAlgorithm algorithm, byte[] data) throws GeneralSecurityException {
        return algorithm.prehashes() ? MessageDigest.getInstance("SHA-256").digest(data) : data;
    }
}
