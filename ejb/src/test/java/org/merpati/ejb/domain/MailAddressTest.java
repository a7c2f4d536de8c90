package org.merpati.ejb.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MailAddressTest {

    @ParameterizedTest
    @CsvSource({
        "User@Example.COM, user@example.com",
        "first.last@example.com, first.last@example.com",
        "user+tag@example.com, user+tag@example.com",
        "\"quoted user\"@example.com, \"quoted user\"@example.com",
        "u@bücher.example, u@xn--bcher-kva.example",
    })
    void canonicalForm(String input, String canonical) {
        assertEquals(canonical, MailAddress.parse(input).canonical());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "no-at-sign", "a b@example.com", "a@", "@", ".a@example.com", "a..b@example.com",
        "a@exa mple.com", "a@example..com", "\"unterminated@example.com", "a\r\n@example.com", "a@[1.2.3.4"})
    void syntaxErrorsAreInvalid(String input) {
        MailException e = assertThrows(MailException.class, () -> MailAddress.parse(input));
        assertEquals(MailError.INVALID, e.error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%b@example.com", "b!a@example.com", "\"a@b\"@example.com",
        "@relay.example:a@example.com", "@r1,@r2:a@example.com", "a@b@example.com"})
    void relayTricksAreFlagged(String input) {
        assertTrue(MailAddress.parse(input).routingTrick().isPresent(), input);
    }

    @ParameterizedTest
    @CsvSource({"user+tag@Example.com, user@example.com", "user@example.com, ''", "+tag@example.com, ''"})
    void subaddressIsStripped(String input, String base) {
        assertEquals(base.isEmpty() ? Optional.empty() : Optional.of(base),
                MailAddress.parse(input).withoutSubaddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@[192.0.2.1]", "a@[IPv6:2001:db8::1]"})
    void addressLiteralsAreRecognised(String input) {
        assertTrue(MailAddress.parse(input).isIpLiteral());
    }
}
