package org.merpati.connector.smtp.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The DATA framing table. Every input ends somewhere in a real CRLF.CRLF; each case says what the message is,
 * whether it is refused (bare CR/LF seen), and what is left over after the terminator.
 */
class DotUnstuffingDecoderTest {

    static Stream<Arguments> cases() {
        return Stream.of(
            // name, wire bytes, message, violation, left over
            Arguments.of("simple", "Subject: x\r\n\r\nhello\r\n.\r\n", "Subject: x\r\n\r\nhello\r\n", false, ""),
            Arguments.of("empty message", ".\r\n", "", false, ""),
            Arguments.of("dot stuffing", "..leading dot\r\n.\r\n", ".leading dot\r\n", false, ""),
            Arguments.of("double stuffing", "...\r\n.\r\n", "..\r\n", false, ""),
            Arguments.of("line that is two dots", "..\r\n.\r\n", ".\r\n", false, ""),
            Arguments.of("dot inside line kept", "a.b\r\n.c\r\n.\r\n", "a.b\r\nc\r\n", false, ""),
            Arguments.of("bytes after end stay", "x\r\n.\r\nQUIT\r\n", "x\r\n", false, "QUIT\r\n"),
            Arguments.of("8-bit and NUL pass", "\u00e9\u0000\u00ff\r\n.\r\n", "\u00e9\u0000\u00ff\r\n", false, ""),
            Arguments.of("bare LF in line", "a\nb\r\n.\r\n", null, true, ""),
            Arguments.of("bare CR in line", "a\rb\r\n.\r\n", null, true, ""),
            Arguments.of("LF dot LF does not end", "a\n.\nMAIL FROM:<x@y>\r\n.\r\n", null, true, ""),
            Arguments.of("LF dot CRLF does not end", "a\n.\r\nRCPT TO:<x@y>\r\n.\r\n", null, true, ""),
            Arguments.of("CR dot CR does not end", "a\r.\rDATA\r\n.\r\n", null, true, ""),
            Arguments.of("CRLF dot LF does not end", "a\r\n.\nQUIT\r\n.\r\n", null, true, ""),
            Arguments.of("CRLF dot CR does not end", "a\r\n.\rQUIT\r\n.\r\n", null, true, ""),
            Arguments.of("CR CRLF", "a\r\r\n.\r\n", null, true, ""),
            Arguments.of("dot CR CR LF", "a\r\n.\r\r\n.\r\n", null, true, ""),
            Arguments.of("smuggled end then real end", "x\r\n\n.\n\r\nMAIL\r\n.\r\nNOOP\r\n", null, true, "NOOP\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void wholeBuffer(String name, String wire, String message, boolean violation, String leftOver) {
        check(wire, message, violation, leftOver, wire.length());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void byteByByte(String name, String wire, String message, boolean violation, String leftOver) {
        check(wire, message, violation, leftOver, 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void randomSplits(String name, String wire, String message, boolean violation, String leftOver) {
        Random random = new Random(name.hashCode());
        for (int round = 0; round < 50; round++) {
            check(wire, message, violation, leftOver, -(1 + random.nextInt(Integer.MAX_VALUE - 1)));
        }
    }

    /** chunk > 0: fixed chunk size; chunk < 0: random sizes seeded by -chunk. */
    private static void check(String wire, String message, boolean violation, String leftOver, int chunk) {
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        Random random = chunk < 0 ? new Random(-chunk) : null;
        DotUnstuffingDecoder decoder = new DotUnstuffingDecoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        boolean done = false;
        String rest = null;
        while (!done && pos < bytes.length) {
            int n = random != null ? 1 + random.nextInt(Math.min(8, bytes.length - pos)) : Math.min(chunk, bytes.length - pos);
            ByteBuffer in = ByteBuffer.wrap(bytes, pos, n);
            done = decoder.decode(in, out::write);
            if (done) {
                rest = new String(bytes, in.position(), bytes.length - in.position(), StandardCharsets.ISO_8859_1);
            }
            pos += n;
        }
        assertEquals(true, done, "end of data found");
        assertEquals(violation, decoder.violation(), "violation");
        if (message != null) {
            assertEquals(message, out.toString(StandardCharsets.ISO_8859_1));
        }
        assertEquals(leftOver, rest);
    }

    @ParameterizedTest(name = "large message, chunk {0}")
    @MethodSource("chunkSizes")
    void largeMessageCrossesTheOutputBuffer(int chunk) {
        StringBuilder wire = new StringBuilder();
        StringBuilder message = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            String line = (i % 7 == 0 ? "." : "") + "line " + i;
            wire.append(i % 7 == 0 ? "." : "").append(line).append("\r\n");
            message.append(line).append("\r\n");
        }
        wire.append(".\r\n");
        check(wire.toString(), message.toString(), false, "", chunk);
    }

    static Stream<Integer> chunkSizes() {
        return Stream.of(1, 3, 1000, 8192, 100_000);
    }
}
