package org.merpati.connector.pop3.proto;

/** One parsed POP3 command line. */
public sealed interface Pop3Command {

    Pop3Verb verb();

    /** USER name. */
    record User(String name) implements Pop3Command {
        @Override
        public Pop3Verb verb() {
            return Pop3Verb.USER;
        }
    }

    /** PASS string: everything after "PASS ", spaces included (RFC 1939 section 7). */
    record Pass(String password) implements Pop3Command {
        @Override
        public Pop3Verb verb() {
            return Pop3Verb.PASS;
        }
    }

    /**
     * AUTH [mechanism [initial-response]] (RFC 5034).
     *
     * @param mechanism       upper-cased mechanism name, or null for the bare AUTH that lists mechanisms
     * @param initialResponse the base64 initial response ("=" for empty), or null
     */
    record Auth(String mechanism, String initialResponse) implements Pop3Command {
        @Override
        public Pop3Verb verb() {
            return Pop3Verb.AUTH;
        }
    }

    /**
     * A command on one message (RETR, DELE) or optionally one message (LIST, UIDL).
     *
     * @param message the message number, or 0 when none was given (LIST and UIDL only); numbers too large for
     *                an int are {@link Integer#MAX_VALUE}, which no maildrop reaches
     */
    record OnMessage(Pop3Verb verb, int message) implements Pop3Command {
    }

    /** TOP msg n; {@code lines} is capped at {@link Integer#MAX_VALUE}. */
    record Top(int message, int lines) implements Pop3Command {
        @Override
        public Pop3Verb verb() {
            return Pop3Verb.TOP;
        }
    }

    /** A command without arguments (QUIT, STAT, NOOP, RSET, CAPA, STLS) or whose arguments are ignored (APOP). */
    record Simple(Pop3Verb verb) implements Pop3Command {
    }
}
