package org.merpati.ejb.service;

import java.security.SecureRandom;

/** Generated passwords: 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I). */
public final class RandomPasswords {

    public static final int LENGTH = 20;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private final SecureRandom random = new SecureRandom();

    public String generate() {
        StringBuilder out = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
