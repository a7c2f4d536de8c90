package org.merpati.ejb.mailauth.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 6376 section 3.4: the section 3.4.5 example, then edge cases of both algorithms as a table. */
class CanonicalizationTest {

    private static final String EXAMPLE_HEADER = "A: X\r\nB : Y\t\r\n\tZ  \r\n";
    private static final String EXAMPLE_BODY = " C \r\nD \t E\r\n\r\n\r\n";

    @Test
    void rfc6376Section345RelaxedHeaders() {
        MessageHeader header = MessageHeader.parse(EXAMPLE_HEADER + "\r\n");
        StringBuilder out = new StringBuilder();
        header.fields().forEach(f -> out.append(Canonicalization.RELAXED.header(f)));
        assertEquals("a:X\r\nb:Y Z\r\n", out.toString());
    }

    @Test
    void rfc6376Section345SimpleHeaders() {
        MessageHeader header = MessageHeader.parse(EXAMPLE_HEADER + "\r\n");
        StringBuilder out = new StringBuilder();
        header.fields().forEach(f -> out.append(Canonicalization.SIMPLE.header(f)));
        assertEquals(EXAMPLE_HEADER, out.toString());
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                // name, input, simple, relaxed
                Arguments.of("RFC 6376 3.4.5", EXAMPLE_BODY, " C \r\nD \t E\r\n", " C\r\nD E\r\n"),
                Arguments.of("empty body", "", "\r\n", ""),
                Arguments.of("only empty lines", "\r\n\r\n", "\r\n", ""),
                Arguments.of("whitespace-only lines at the end", "a\r\n \t\r\n  \r\n", "a\r\n \t\r\n  \r\n", "a\r\n"),
                Arguments.of("no final CRLF", "a  b", "a  b\r\n", "a b\r\n"),
                Arguments.of("bare LF taken as CRLF", "a\nb\n\n", "a\r\nb\r\n", "a\r\nb\r\n"),
                Arguments.of("inner empty lines kept", "a\r\n\r\n\r\nb\r\n", "a\r\n\r\n\r\nb\r\n", "a\r\n\r\n\r\nb\r\n"),
                Arguments.of("bare CR is content", "a\rb\r\n", "a\rb\r\n", "a\rb\r\n"),
                Arguments.of("leading whitespace kept as one space", "\t\t x\r\n", "\t\t x\r\n", " x\r\n"),
                Arguments.of("8-bit bytes untouched", "caf\u00e9\r\n", "caf\u00e9\r\n", "caf\u00e9\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void bodyCanonicalization(String name, String input, String simple, String relaxed) throws IOException {
        assertEquals(simple, canonical(Canonicalization.SIMPLE, input));
        assertEquals(relaxed, canonical(Canonicalization.RELAXED, input));
    }

    @Test
    void bodyCanonicalizationDoesNotDependOnHowTheBytesAreSplit() throws IOException {
        String input = "x \r\n\r\ny\t\tz \r\n\r\n";
        for (Canonicalization c : Canonicalization.values()) {
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            try (BodyCanonicalizer canon = c.body(whole)) {
                canon.write(input.getBytes(StandardCharsets.ISO_8859_1));
            }
            ByteArrayOutputStream bytewise = new ByteArrayOutputStream();
            try (BodyCanonicalizer canon = c.body(bytewise)) {
                for (byte b : input.getBytes(StandardCharsets.ISO_8859_1)) {
                    canon.write(b);
                }
            }
            assertEquals(whole.toString(StandardCharsets.ISO_8859_1), bytewise.toString(StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void emptyBodyHashesAreTheWellKnownValues() throws Exception {
        // SHA-256 of CRLF (simple) and of nothing (relaxed)
        assertEquals("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=", hash(Canonicalization.SIMPLE, ""));
        assertEquals("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", hash(Canonicalization.RELAXED, ""));
    }

    @Test
    void lengthLimitHashesOnlyThePrefixButCountsAll() throws Exception {
        BodyHash limited = new BodyHash(Canonicalization.SIMPLE, 3);
        byte[] body = "abc\r\ndef\r\n".getBytes(StandardCharsets.US_ASCII);
        limited.update(body, 0, body.length);
        assertEquals(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest("abc".getBytes())),
                Base64.getEncoder().encodeToString(limited.finish()));
        assertEquals(10, limited.canonicalLength());
    }

    private static String canonical(Canonicalization c, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BodyCanonicalizer canon = c.body(out)) {
            canon.write(input.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String hash(Canonicalization c, String input) throws IOException {
        BodyHash hash = new BodyHash(c, -1);
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        hash.update(bytes, 0, bytes.length);
        return Base64.getEncoder().encodeToString(hash.finish());
    }
}
