package org.merpati.connector.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SaslResponsesTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void plainWithAndWithoutAuthorizationIdentity() throws Exception {
        assertEquals(new SaslResponses.Plain("", "alice@example.test", "s e c"), SaslResponses.plain(b64("\0alice@example.test\0s e c")));
        assertEquals(new SaslResponses.Plain("admin", "alice", "pw"), SaslResponses.plain(b64("admin\0alice\0pw")));
        assertEquals(new SaslResponses.Plain("", "jörg", "pässword"), SaslResponses.plain(b64("\0jörg\0pässword")));
    }

    @Test
    void equalsSignIsTheEmptyResponse() throws Exception {
        assertEquals("", SaslResponses.decode("="));
        assertEquals("Username:", SaslResponses.decode(SaslResponses.LOGIN_USERNAME_CHALLENGE));
        assertEquals("Password:", SaslResponses.decode(SaslResponses.LOGIN_PASSWORD_CHALLENGE));
    }

    static Stream<String> malformedPlain() {
        return Stream.of("not base64!", "=", b64("alice"), b64("\0alice"), b64("\0\0pw"), b64("\0alice\0"),
            b64("a\0b\0c\0d"), Base64.getEncoder().encodeToString(new byte[] {0, 'a', 0, (byte) 0xff}));
    }

    @ParameterizedTest
    @MethodSource
    void malformedPlain(String response) {
        assertThrows(SaslException.class, () -> SaslResponses.plain(response));
    }
}
