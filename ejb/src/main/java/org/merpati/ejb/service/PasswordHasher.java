package org.merpati.ejb.service;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 password hashes in the form {@code $pbkdf2-sha256$i=600000$<b64 salt>$<b64 hash>}
 * (600,000 iterations: OWASP's 2023 figure for this PRF; 16-byte random salt; 32-byte hash). The iteration
 * count is stored in the hash, so raising it later keeps old hashes verifiable.
 */
public final class PasswordHasher {

    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String PREFIX = "$pbkdf2-sha256$i=";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Recently verified passwords, process-wide (MERPATI_AUTH_CACHE_SECONDS; 0 turns it off). */
    private static final VerifiedPasswordCache CACHE = new VerifiedPasswordCache(
            org.merpati.ejb.platform.MerpatiConfig.current().authCacheSeconds(), System::nanoTime);

    private final int iterations;

    public PasswordHasher() {
        this(DEFAULT_ITERATIONS);
    }

    /** A lower count only for tests that create many accounts. */
    public PasswordHasher(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        this.iterations = iterations;
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Constant-time comparison; a malformed stored hash never matches. */
    public boolean verify(String password, String stored) {
        if (password == null || stored == null || !stored.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = stored.substring(PREFIX.length()).split("\\$");
        if (parts.length != 3) {
            return false;
        }
        try {
            int storedIterations = Integer.parseInt(parts[0]);
            byte[] salt = Base64.getDecoder().decode(parts[1]);
            byte[] expected = Base64.getDecoder().decode(parts[2]);
            if (storedIterations < 1 || expected.length == 0) {
                return false;
            }
            if (CACHE.matches(stored, password)) {
                return true;
            }
            boolean matches = MessageDigest.isEqual(expected, derive(password, salt, storedIterations));
            if (matches) {
                CACHE.remember(stored, password);
            }
            return matches;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Spends the same time as a real verification, so unknown logins cannot be told apart by timing. */
    public void burnTime(String password) {
        derive(password == null ? "" : password, new byte[SALT_BYTES], iterations);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}
