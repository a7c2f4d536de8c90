package org.merpati.ejb.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void defaultHashHasTheDocumentedFormatAndVerifies() {
        PasswordHasher hasher = new PasswordHasher();
        String hash = hasher.hash("correct horse battery");
        assertTrue(hash.matches("\\$pbkdf2-sha256\\$i=600000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), hash);
        String[] parts = hash.split("\\$");
        assertEquals(16, Base64.getDecoder().decode(parts[3]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[4]).length);
        assertTrue(hasher.verify("correct horse battery", hash));
        assertFalse(hasher.verify("correct horse batterY", hash));
    }

    @Test
    void saltMakesEveryHashDifferent() {
        PasswordHasher hasher = new PasswordHasher(1000);
        assertNotEquals(hasher.hash("same password"), hasher.hash("same password"));
    }

    @Test
    void iterationCountIsReadFromTheStoredHash() {
        String hash = new PasswordHasher(1000).hash("secret-password");
        assertTrue(new PasswordHasher().verify("secret-password", hash));
    }

    @Test
    void malformedHashesNeverMatch() {
        PasswordHasher hasher = new PasswordHasher(1000);
        assertFalse(hasher.verify("x", null));
        assertFalse(hasher.verify("x", "plain"));
        assertFalse(hasher.verify("x", "$pbkdf2-sha256$i=0$AAAA$AAAA"));
        assertFalse(hasher.verify("x", "$pbkdf2-sha256$i=10$not base64!$AAAA"));
        assertFalse(hasher.verify(null, hasher.hash("x-password")));
    }
}
