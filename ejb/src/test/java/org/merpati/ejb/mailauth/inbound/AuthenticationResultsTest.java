package org.merpati.ejb.mailauth.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8601 syntax of the field we write; header injection through any value is a named regression test. */
class AuthenticationResultsTest {

    @Test
    void oneResinfoPerLine() {
        AuthenticationResults ar = new AuthenticationResults("mx.merpati.example")
                .add("spf", "pass", null, "smtp.mailfrom", "alice@example.com")
                .add("dkim", "pass", null, "header.d", "example.com", "header.s", "sel1", "header.b", "AbC+/9xy")
                .add("dmarc", "pass", "p=reject", "header.from", "example.com");
        assertEquals("Authentication-Results: mx.merpati.example;\r\n"
                + "\tspf=pass smtp.mailfrom=alice@example.com;\r\n"
                + "\tdkim=pass header.d=example.com header.s=sel1 header.b=\"AbC+/9xy\";\r\n"
                + "\tdmarc=pass (p=reject) header.from=example.com\r\n", ar.field());
        assertEquals("mx.merpati.example; spf=pass smtp.mailfrom=alice@example.com; "
                + "dkim=pass header.d=example.com header.s=sel1 header.b=\"AbC+/9xy\"; "
                + "dmarc=pass (p=reject) header.from=example.com", ar.value());
    }

    @Test
    void noResults() {
        assertEquals("Authentication-Results: mx.example; none\r\n", new AuthenticationResults("mx.example").field());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "alice@example.com|alice@example.com",
            "example.com|example.com",
            "@example.com|@example.com",
            "@|\"@\"",
            "_dmarc.example.com|_dmarc.example.com",
            "a.b+tag@sub.example.com|a.b+tag@sub.example.com",
            "rsa-sha256|rsa-sha256",
            "\"quoted local\"@example.com|\"\\\"quoted local\\\"@example.com\"",
            "a b@example.com|\"a b@example.com\"",
            "back\\slash|\"back\\\\slash\"",
            "semi;colon.example|\"semi;colon.example\"",
    })
    void propertyValues(String raw, String written) {
        assertEquals(written, AuthenticationResults.propertyValue(raw));
    }

    @Test
    void headerInjectionThroughValuesIsImpossible() {
        String evil = "evil.example\r\nAuthentication-Results: mx.merpati.example; dmarc=pass\r\nX: y";
        String field = new AuthenticationResults("mx.merpati.example")
                .add("spf", "fail", "see\r\nBcc: victim@example.com (x)", "smtp.mailfrom", "a@" + evil)
                .add("dmarc", "fail", null, "header.from", evil)
                .field();
        // the only line breaks are our folds and the final CRLF
        String[] lines = field.split("\r\n", -1);
        assertEquals("", lines[lines.length - 1]);
        for (int i = 1; i < lines.length - 1; i++) {
            assertTrue(lines[i].startsWith("\t"), "continuation line " + i + ": " + lines[i]);
        }
        assertFalse(field.contains("\nBcc:"));
        assertFalse(field.contains("\nAuthentication-Results"));
        assertTrue(field.contains("(see Bcc: victim@example.com \\(x\\))"), field);
    }

    @Test
    void keywordsAreChecked() {
        AuthenticationResults ar = new AuthenticationResults("mx");
        assertThrows(IllegalArgumentException.class, () -> ar.add("spf", "pass; dmarc=pass", null));
        assertThrows(IllegalArgumentException.class, () -> ar.add("spf", "pass", null, "smtp.mail from", "x"));
    }

    @Test
    void authservIdIsAValue() {
        assertEquals("Authentication-Results: \"odd host\"; none\r\n",
                new AuthenticationResults("odd host").field());
    }
}
