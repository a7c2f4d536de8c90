package org.merpati.ejb.mailauth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts DKIM private keys for the database with AES-256-GCM, so that a database dump or backup alone does not
 * give away the signing keys. The stored form is {@code aesgcm:} + base64(12-byte nonce + ciphertext + tag).
 */
public final class PrivateKeyCipher {

    private static final String PREFIX = "aesgcm:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    public PrivateKeyCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the DKIM master key must be 32 bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The cipher from {@code MERPATI_DKIM_MASTER_KEY}, else from the key file, created (mode 600) when missing. */
    public static PrivateKeyCipher from(DkimKeySettings settings) {
        if (settings.masterKey() != null) {
            return new PrivateKeyCipher(Base64.getDecoder().decode(settings.masterKey()));
        }
        Path file = settings.masterKeyFile();
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "dkim-master", ".tmp");
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // best effort on other file systems
                }
                Files.writeString(temp, Base64.getEncoder().encodeToString(fresh) + "\n");
                try {
                    Files.move(temp, file);
                } catch (FileAlreadyExistsException raced) {
                    Files.delete(temp);
                }
            }
            return new PrivateKeyCipher(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("DKIM master key file " + file, e);
        }
    }

    public String encrypt(byte[] plain) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, nonce.length + sealed.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws GeneralSecurityException when the text was not made with this key (wrong master key, tampering) */
    public byte[] decrypt(String stored) throws GeneralSecurityException {
        if (!stored.startsWith(PREFIX)) {
            throw new GeneralSecurityException("not an encrypted DKIM key");
        }
        byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
        return cipher.doFinal(in, 12, in.length - 12);
    }
}
