package org.merpati.connector.imap.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Framing: lines, literals of every kind, and the limits, fed in one piece and byte by byte. */
class CommandFramerTest {

    private final List<String> decisions = new ArrayList<>();

    private CommandFramer framer(long maxLiteral) {
        return new CommandFramer(100, 400, (lines, literals, size, nonSync, binary) -> {
            decisions.add(size + (nonSync ? "+" : "") + (binary ? "~" : ""));
            return size > maxLiteral ? CommandFramer.Decision.refuse("NO [TOOBIG] too big") : CommandFramer.Decision.MEMORY;
        });
    }

    private static List<CommandFramer.Event> all(CommandFramer f, String input, boolean byteByByte) {
        List<CommandFramer.Event> events = new ArrayList<>();
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        if (byteByByte) {
            for (byte b : bytes) {
                ByteBuffer one = ByteBuffer.wrap(new byte[] {b});
                CommandFramer.Event e;
                while ((e = f.next(one)) != null) {
                    events.add(e);
                }
            }
        } else {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            CommandFramer.Event e;
            while ((e = f.next(buf)) != null) {
                events.add(e);
            }
        }
        return events;
    }

    /** Renders events compactly: C[line|literal|line] for commands, + for continuations, R(tag,response). */
    private static String render(List<CommandFramer.Event> events) {
        StringBuilder sb = new StringBuilder();
        for (CommandFramer.Event e : events) {
            if (e instanceof CommandFramer.Event.Command c) {
                sb.append("C[");
                for (int i = 0; i < c.command().lines().size(); i++) {
                    if (i > 0) {
                        sb.append('|').append(new String(c.command().literals().get(i - 1).data(), StandardCharsets.ISO_8859_1)).append('|');
                    }
                    sb.append(new String(c.command().lines().get(i), StandardCharsets.ISO_8859_1));
                }
                sb.append(']');
            } else if (e instanceof CommandFramer.Event.ContinuationNeeded) {
                sb.append('+');
            } else if (e instanceof CommandFramer.Event.Refused r) {
                sb.append("R(").append(r.tag()).append(',').append(r.response()).append(')');
            }
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "plain line;               a NOOP\\r\\n;                                   C[a NOOP]",
        "bare LF accepted;         a NOOP\\n;                                      C[a NOOP]",
        "two pipelined;            a NOOP\\r\\nb NOOP\\r\\n;                       C[a NOOP]C[b NOOP]",
        "sync literal;             a LOGIN {3}\\r\\nbob pw\\r\\n;                  +C[a LOGIN |bob| pw]",
        "LITERAL+;                 a LOGIN {3+}\\r\\nbob pw\\r\\n;                 C[a LOGIN |bob| pw]",
        "literal8;                 a APPEND x ~{2}\\r\\nab\\r\\n;                  +C[a APPEND x |ab|]",
        "two literals;             a LOGIN {1+}\\r\\nu {1+}\\r\\np\\r\\n;          C[a LOGIN |u| |p|]",
        "empty literal;            a LOGIN {0}\\r\\n \"\"\\r\\n;                   +C[a LOGIN || \"\"]",
        "literal with CRLF inside; a X {4+}\\r\\n\\r\\n\\r\\n\\r\\n;               C[a X |\\r\\n\\r\\n|]",
        "sync literal over limit;  a APPEND x {50}\\r\\nb NOOP\\r\\n;              R(a,NO [TOOBIG] too big)C[b NOOP]",
        "non-sync over limit;      a APPEND x {25+}\\r\\n0123456789012345678901234 more\\r\\nb NOOP\\r\\n; R(a,NO [TOOBIG] too big)C[b NOOP]",
        "line too long;            t1 `" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + "`\\r\\nb NOOP\\r\\n; R(t1,BAD line too long)C[b NOOP]",
        "number out of range;      a X {99999999999999999999}\\r\\nb NOOP\\r\\n;   R(a,BAD literal size out of range)C[b NOOP]",
    })
    void frames(String name, String input, String expected) {
        String unescaped = input.strip().replace("\\r", "\r").replace("\\n", "\n");
        String want = expected.strip().replace("\\r", "\r").replace("\\n", "\n");
        assertEquals(want, render(all(framer(20), unescaped, false)), "in one piece");
        assertEquals(want, render(all(framer(20), unescaped, true)), "byte by byte");
    }

    @Test
    void refusalIsDecidedBeforeAnyLiteralByteArrives() {
        CommandFramer f = framer(20);
        List<CommandFramer.Event> events = all(f, "a APPEND x {21}\r\n", false);
        assertEquals(1, events.size());
        assertInstanceOf(CommandFramer.Event.Refused.class, events.get(0));
        assertEquals(List.of("21"), decisions);
    }

    @Test
    void tagIsOnlyReportedWhenValid() {
        assertEquals("a1", CommandFramer.tagOf("a1 NOOP".getBytes(StandardCharsets.US_ASCII)));
        assertNull(CommandFramer.tagOf("\u0001x NOOP".getBytes(StandardCharsets.ISO_8859_1)));
        assertNull(CommandFramer.tagOf("+ NOOP".getBytes(StandardCharsets.US_ASCII)));
        assertNull(CommandFramer.tagOf(" NOOP".getBytes(StandardCharsets.US_ASCII)));
    }
}
