package org.merpati.connector.pop3.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DotStuffingEncoderTest {

    private static final String MESSAGE = "Subject: x\r\nTo: y\r\n\r\nline 1\r\n.line 2\r\nline 3\r\n";

    static Stream<Arguments> cases() {
        return Stream.of(
            // input, body lines, expected multi-line body
            Arguments.of("", -1, ".\r\n"),
            Arguments.of("a\r\n", -1, "a\r\n.\r\n"),
            Arguments.of("no final line end", -1, "no final line end\r\n.\r\n"),
            Arguments.of("ends in CR\r", -1, "ends in CR\r\n.\r\n"),
            Arguments.of(".\r\n", -1, "..\r\n.\r\n"),
            Arguments.of("a\r\n.\r\nb\r\n", -1, "a\r\n..\r\nb\r\n.\r\n"),
            Arguments.of("..two\r\n. space\r\nmid.dot\r\n", -1, "...two\r\n.. space\r\nmid.dot\r\n.\r\n"),
            Arguments.of("bare\nLF\n.dot\n", -1, "bare\r\nLF\r\n..dot\r\n.\r\n"),
            Arguments.of(MESSAGE, -1, "Subject: x\r\nTo: y\r\n\r\nline 1\r\n..line 2\r\nline 3\r\n.\r\n"),
            Arguments.of(MESSAGE, 0, "Subject: x\r\nTo: y\r\n\r\n.\r\n"),
            Arguments.of(MESSAGE, 1, "Subject: x\r\nTo: y\r\n\r\nline 1\r\n.\r\n"),
            Arguments.of(MESSAGE, 2, "Subject: x\r\nTo: y\r\n\r\nline 1\r\n..line 2\r\n.\r\n"),
            Arguments.of(MESSAGE, 99, "Subject: x\r\nTo: y\r\n\r\nline 1\r\n..line 2\r\nline 3\r\n.\r\n"),
            Arguments.of("Subject: header only\r\n", 0, "Subject: header only\r\n.\r\n"),
            Arguments.of("H: 1\r\n\r\n", 0, "H: 1\r\n\r\n.\r\n"),
            Arguments.of("H: 1\n\nbody\nmore\n", 1, "H: 1\r\n\r\nbody\r\n.\r\n"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void inOneChunk(String input, int lines, String expected) {
        assertEquals(expected, encode(input, lines, Integer.MAX_VALUE));
    }

    /** Every split point must give the same bytes: line-start and CR state carry across chunks. */
    @ParameterizedTest
    @MethodSource("cases")
    void byteByByteAndInPairs(String input, int lines, String expected) {
        assertEquals(expected, encode(input, lines, 1));
        assertEquals(expected, encode(input, lines, 2));
    }

    private static String encode(String input, int lines, int chunk) {
        DotStuffingEncoder encoder = new DotStuffingEncoder(lines);
        byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length && !encoder.isComplete(); i += chunk) {
            out.writeBytes(encoder.encode(bytes, i, Math.min(chunk, bytes.length - i)));
        }
        out.writeBytes(encoder.finish());
        return out.toString(StandardCharsets.US_ASCII);
    }
}
