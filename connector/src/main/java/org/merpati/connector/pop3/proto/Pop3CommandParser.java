package org.merpati.connector.pop3.proto;

import java.util.List;
import java.util.Locale;

/**
 * Parses one command line (without CRLF) into a {@link Pop3Command}. Keyword case-insensitive, arguments
 * separated by spaces (RFC 1939 section 3); trailing spaces are forgiven except in PASS, whose argument is the
 * rest of the line as is. Knows nothing of state: {@link Pop3CommandRules} judges whether a command may run.
 */
public final class Pop3CommandParser {

    private Pop3CommandParser() {
    }

    public static Pop3Command parse(String line) throws Pop3SyntaxException {
        int space = line.indexOf(' ');
        String keyword = space < 0 ? line : line.substring(0, space);
        Pop3Verb verb = Pop3Verb.of(keyword);
        if (verb == null) {
            throw new Pop3SyntaxException("unknown command");
        }
        if (verb == Pop3Verb.PASS) {
            if (space < 0 || space == line.length() - 1) {
                throw new Pop3SyntaxException("PASS needs a password");
            }
            return new Pop3Command.Pass(line.substring(space + 1));
        }
        List<String> args = space < 0 ? List.of() : arguments(line.substring(space + 1));
        return switch (verb) {
            case USER -> {
                exactly(verb, args, 1);
                yield new Pop3Command.User(args.get(0));
            }
            case AUTH -> {
                if (args.size() > 2) {
                    throw new Pop3SyntaxException("AUTH takes a mechanism and an optional initial response");
                }
                yield new Pop3Command.Auth(args.isEmpty() ? null : args.get(0).toUpperCase(Locale.ROOT),
                    args.size() == 2 ? args.get(1) : null);
            }
            case RETR, DELE -> {
                exactly(verb, args, 1);
                yield new Pop3Command.OnMessage(verb, messageNumber(args.get(0)));
            }
            case LIST, UIDL -> {
                if (args.size() > 1) {
                    throw new Pop3SyntaxException(verb + " takes at most one message number");
                }
                yield new Pop3Command.OnMessage(verb, args.isEmpty() ? 0 : messageNumber(args.get(0)));
            }
            case TOP -> {
                exactly(verb, args, 2);
                yield new Pop3Command.Top(messageNumber(args.get(0)), number(args.get(1), "line count"));
            }
            case APOP -> new Pop3Command.Simple(verb);
            default -> {
                exactly(verb, args, 0);
                yield new Pop3Command.Simple(verb);
            }
        };
    }

    private static List<String> arguments(String rest) {
        String trimmed = rest.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split(" +"));
    }

    private static void exactly(Pop3Verb verb, List<String> args, int n) throws Pop3SyntaxException {
        if (args.size() != n) {
            throw new Pop3SyntaxException(verb + switch (n) {
                case 0 -> " takes no arguments";
                case 1 -> " takes one argument";
                default -> " takes " + n + " arguments";
            });
        }
    }

    /** A message number: 1 or more; zero is syntactically fine but names no message. */
    private static int messageNumber(String text) throws Pop3SyntaxException {
        int n = number(text, "message number");
        if (n == 0) {
            throw new Pop3SyntaxException("message numbers start at 1");
        }
        return n;
    }

    /** Decimal digits only (no sign); values beyond int range are capped, since they only ever mean "too big". */
    private static int number(String text, String what) throws Pop3SyntaxException {
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new Pop3SyntaxException("invalid " + what);
            }
            value = Math.min(Integer.MAX_VALUE, value * 10 + (c - '0'));
        }
        return (int) value;
    }
}
