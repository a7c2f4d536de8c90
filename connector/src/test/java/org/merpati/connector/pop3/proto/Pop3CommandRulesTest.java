package org.merpati.connector.pop3.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole verb x state matrix of RFC 1939 (plus CAPA, STLS, AUTH). */
class Pop3CommandRulesTest {

    private static final Set<Pop3Verb> AUTHORIZATION = Set.of(Pop3Verb.USER, Pop3Verb.PASS, Pop3Verb.APOP, Pop3Verb.AUTH,
        Pop3Verb.STLS, Pop3Verb.CAPA, Pop3Verb.QUIT);
    private static final Set<Pop3Verb> TRANSACTION = Set.of(Pop3Verb.STAT, Pop3Verb.LIST, Pop3Verb.RETR, Pop3Verb.DELE,
        Pop3Verb.NOOP, Pop3Verb.RSET, Pop3Verb.TOP, Pop3Verb.UIDL, Pop3Verb.CAPA, Pop3Verb.QUIT);

    static Stream<Arguments> matrix() {
        return Stream.of(Pop3Verb.values()).flatMap(verb -> Stream.of(Pop3State.values()).map(state -> Arguments.of(verb, state,
            switch (state) {
                case AUTHORIZATION -> AUTHORIZATION.contains(verb);
                case TRANSACTION -> TRANSACTION.contains(verb);
                case UPDATE -> false;
            })));
    }

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @MethodSource
    void matrix(Pop3Verb verb, Pop3State state, boolean valid) {
        Pop3Reply refusal = Pop3CommandRules.check(verb, state);
        assertEquals(valid, refusal == null, String.valueOf(refusal));
        if (refusal != null) {
            assertFalse(refusal.ok());
        }
    }
}
