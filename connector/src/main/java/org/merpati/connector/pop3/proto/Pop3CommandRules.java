package org.merpati.connector.pop3.proto;

import static org.merpati.connector.pop3.proto.Pop3State.AUTHORIZATION;
import static org.merpati.connector.pop3.proto.Pop3State.TRANSACTION;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which command is valid in which state (RFC 1939 sections 4-6, RFC 2449, 2595, 5034), declared as one table.
 * In UPDATE nothing is valid: the session reads no more commands once QUIT started it.
 */
public final class Pop3CommandRules {

    private static final Map<Pop3Verb, Set<Pop3State>> VALID_IN = new EnumMap<>(Pop3Verb.class);

    static {
        row(Pop3Verb.USER, EnumSet.of(AUTHORIZATION));
        row(Pop3Verb.PASS, EnumSet.of(AUTHORIZATION));
        row(Pop3Verb.APOP, EnumSet.of(AUTHORIZATION));
        row(Pop3Verb.AUTH, EnumSet.of(AUTHORIZATION));
        row(Pop3Verb.STLS, EnumSet.of(AUTHORIZATION));
        row(Pop3Verb.CAPA, EnumSet.of(AUTHORIZATION, TRANSACTION));
        row(Pop3Verb.QUIT, EnumSet.of(AUTHORIZATION, TRANSACTION));
        row(Pop3Verb.STAT, EnumSet.of(TRANSACTION));
        row(Pop3Verb.LIST, EnumSet.of(TRANSACTION));
        row(Pop3Verb.RETR, EnumSet.of(TRANSACTION));
        row(Pop3Verb.DELE, EnumSet.of(TRANSACTION));
        row(Pop3Verb.NOOP, EnumSet.of(TRANSACTION));
        row(Pop3Verb.RSET, EnumSet.of(TRANSACTION));
        row(Pop3Verb.TOP, EnumSet.of(TRANSACTION));
        row(Pop3Verb.UIDL, EnumSet.of(TRANSACTION));
        if (VALID_IN.size() != Pop3Verb.values().length) {
            throw new ExceptionInInitializerError("a POP3 verb has no rule");
        }
    }

    private static void row(Pop3Verb verb, Set<Pop3State> states) {
        VALID_IN.put(verb, states);
    }

    private Pop3CommandRules() {
    }

    /** @return null when {@code verb} may run in {@code state}, else the reply refusing it */
    public static Pop3Reply check(Pop3Verb verb, Pop3State state) {
        if (VALID_IN.get(verb).contains(state)) {
            return null;
        }
        return switch (state) {
            case AUTHORIZATION -> Pop3Reply.err("not logged in: " + verb + " needs a login first");
            case TRANSACTION -> Pop3Reply.err("already logged in: " + verb + " is only valid before login");
            case UPDATE -> Pop3Reply.err("session is ending");
        };
    }
}
