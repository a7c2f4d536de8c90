package org.merpati.connector.smtp.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandLineDecoderTest {

    static Stream<Arguments> cases() {
        String longLine = "NOOP " + "x".repeat(600);
        return Stream.of(
            Arguments.of("one line", "NOOP\r\n", List.of("NOOP")),
            Arguments.of("pipelined", "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n", List.of("MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA")),
            Arguments.of("incomplete line waits", "NOOP\r\nQUI", List.of("NOOP")),
            Arguments.of("empty line", "\r\n", List.of("")),
            Arguments.of("bare LF rejects the whole line", "NOOP\nQUIT\r\nRSET\r\n", List.of("<bare>", "RSET")),
            Arguments.of("bare CR rejects the whole line", "NOOP\rQUIT\r\nRSET\r\n", List.of("<bare>", "RSET")),
            Arguments.of("CR CR LF", "NOOP\r\r\nRSET\r\n", List.of("<bare>", "RSET")),
            Arguments.of("too long", longLine + "\r\nRSET\r\n", List.of("<too long>", "RSET")),
            Arguments.of("exactly at the limit", "N".repeat(512) + "\r\n", List.of("N".repeat(512))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void frames(String name, String wire, List<String> expected) {
        assertEquals(expected, decode(wire, wire.length()));
        assertEquals(expected, decode(wire, 1));
        assertEquals(expected, decode(wire, 3));
    }

    private static List<String> decode(String wire, int chunk) {
        CommandLineDecoder decoder = new CommandLineDecoder(512);
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        for (int pos = 0; pos < bytes.length; pos += chunk) {
            ByteBuffer in = ByteBuffer.wrap(bytes, pos, Math.min(chunk, bytes.length - pos));
            CommandLineDecoder.Result r;
            while ((r = decoder.decode(in)) != null) {
                if (r instanceof CommandLineDecoder.Result.Line line) {
                    out.add(new String(line.bytes(), StandardCharsets.ISO_8859_1));
                } else if (r instanceof CommandLineDecoder.Result.TooLong) {
                    out.add("<too long>");
                } else {
                    out.add("<bare>");
                }
            }
        }
        return out;
    }
}
