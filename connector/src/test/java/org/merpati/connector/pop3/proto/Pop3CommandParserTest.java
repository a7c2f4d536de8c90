package org.merpati.connector.pop3.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Pop3CommandParserTest {

    static Stream<Arguments> valid() {
        return Stream.of(
            Arguments.of("USER alice@example.test", new Pop3Command.User("alice@example.test")),
            Arguments.of("user alice", new Pop3Command.User("alice")),
            Arguments.of("PASS secret", new Pop3Command.Pass("secret")),
            Arguments.of("PASS  two words ", new Pop3Command.Pass(" two words ")),
            Arguments.of("AUTH", new Pop3Command.Auth(null, null)),
            Arguments.of("AUTH plain", new Pop3Command.Auth("PLAIN", null)),
            Arguments.of("AUTH PLAIN AGFsaWNlAHNlY3JldA==", new Pop3Command.Auth("PLAIN", "AGFsaWNlAHNlY3JldA==")),
            Arguments.of("AUTH LOGIN =", new Pop3Command.Auth("LOGIN", "=")),
            Arguments.of("APOP mrose c4c9334bac560ecc979e58001b3e22fb", new Pop3Command.Simple(Pop3Verb.APOP)),
            Arguments.of("STLS", new Pop3Command.Simple(Pop3Verb.STLS)),
            Arguments.of("capa", new Pop3Command.Simple(Pop3Verb.CAPA)),
            Arguments.of("QUIT", new Pop3Command.Simple(Pop3Verb.QUIT)),
            Arguments.of("STAT ", new Pop3Command.Simple(Pop3Verb.STAT)),
            Arguments.of("NOOP", new Pop3Command.Simple(Pop3Verb.NOOP)),
            Arguments.of("RSET", new Pop3Command.Simple(Pop3Verb.RSET)),
            Arguments.of("LIST", new Pop3Command.OnMessage(Pop3Verb.LIST, 0)),
            Arguments.of("LIST 2", new Pop3Command.OnMessage(Pop3Verb.LIST, 2)),
            Arguments.of("UIDL", new Pop3Command.OnMessage(Pop3Verb.UIDL, 0)),
            Arguments.of("uidl 007", new Pop3Command.OnMessage(Pop3Verb.UIDL, 7)),
            Arguments.of("RETR 1", new Pop3Command.OnMessage(Pop3Verb.RETR, 1)),
            Arguments.of("DELE 3", new Pop3Command.OnMessage(Pop3Verb.DELE, 3)),
            Arguments.of("RETR 99999999999999999999", new Pop3Command.OnMessage(Pop3Verb.RETR, Integer.MAX_VALUE)),
            Arguments.of("TOP 1 0", new Pop3Command.Top(1, 0)),
            Arguments.of("TOP 2  10", new Pop3Command.Top(2, 10)),
            Arguments.of("TOP 2 99999999999", new Pop3Command.Top(2, Integer.MAX_VALUE)));
    }

    @ParameterizedTest
    @MethodSource
    void valid(String line, Pop3Command expected) throws Exception {
        assertEquals(expected, Pop3CommandParser.parse(line));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
            Arguments.of("", "unknown command"),
            Arguments.of(" STAT", "unknown command"),
            Arguments.of("HELO pop.test", "unknown command"),
            Arguments.of("RETRIEVE 1", "unknown command"),
            Arguments.of("USER", "USER takes one argument"),
            Arguments.of("USER a b", "USER takes one argument"),
            Arguments.of("PASS", "PASS needs a password"),
            Arguments.of("PASS ", "PASS needs a password"),
            Arguments.of("STAT 1", "STAT takes no arguments"),
            Arguments.of("QUIT now", "QUIT takes no arguments"),
            Arguments.of("RETR", "RETR takes one argument"),
            Arguments.of("RETR 1 2", "RETR takes one argument"),
            Arguments.of("RETR one", "invalid message number"),
            Arguments.of("RETR -1", "invalid message number"),
            Arguments.of("RETR +1", "invalid message number"),
            Arguments.of("RETR 0", "message numbers start at 1"),
            Arguments.of("DELE 1x", "invalid message number"),
            Arguments.of("LIST 1 2", "LIST takes at most one message number"),
            Arguments.of("UIDL 0", "message numbers start at 1"),
            Arguments.of("TOP 1", "TOP takes 2 arguments"),
            Arguments.of("TOP 1 -1", "invalid line count"),
            Arguments.of("AUTH PLAIN a b", "AUTH takes a mechanism and an optional initial response"));
    }

    @ParameterizedTest
    @MethodSource
    void invalid(String line, String message) {
        Pop3SyntaxException e = assertThrows(Pop3SyntaxException.class, () -> Pop3CommandParser.parse(line));
        assertEquals(message, e.getMessage());
    }
}
