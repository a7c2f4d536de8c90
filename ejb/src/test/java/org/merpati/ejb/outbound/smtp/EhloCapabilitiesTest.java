package org.merpati.ejb.outbound.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;

class EhloCapabilitiesTest {

    private static EhloCapabilities parse(String... lines) {
        return EhloCapabilities.parse(new SmtpReply(250, List.of(lines)));
    }

    @Test
    void postfixStyleReply() {
        EhloCapabilities caps = parse("mx.example.org", "PIPELINING", "SIZE 10240000", "VRFY", "ETRN", "STARTTLS",
                "ENHANCEDSTATUSCODES", "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING");
        assertTrue(caps.pipelining());
        assertTrue(caps.startTls());
        assertTrue(caps.eightBitMime());
        assertTrue(caps.dsn());
        assertTrue(caps.smtpUtf8());
        assertTrue(caps.chunking());
        assertFalse(caps.binaryMime());
        assertTrue(caps.size());
        assertEquals(OptionalLong.of(10240000), caps.sizeLimit());
        assertEquals(Set.of(), caps.authMechanisms());
        assertFalse(caps.has("mx.example.org"), "the greeting line is not a keyword");
    }

    @Test
    void keywordsAreCaseInsensitive() {
        EhloCapabilities caps = parse("hi", "pipelining", "StartTLS", "auth plain login");
        assertTrue(caps.pipelining());
        assertTrue(caps.startTls());
        assertEquals(Set.of("PLAIN", "LOGIN"), caps.authMechanisms());
    }

    @Test
    void sizeWithoutLimitOrZeroOrGarbageMeansNoFixedLimit() {
        assertEquals(OptionalLong.empty(), parse("hi", "SIZE").sizeLimit());
        assertEquals(OptionalLong.empty(), parse("hi", "SIZE 0").sizeLimit());
        assertEquals(OptionalLong.empty(), parse("hi", "SIZE lots").sizeLimit());
        assertEquals(OptionalLong.empty(), parse("hi").sizeLimit());
        assertTrue(parse("hi", "SIZE").size());
    }

    @Test
    void oldAuthEqualsFormIsMerged() {
        EhloCapabilities caps = parse("hi", "AUTH LOGIN", "AUTH=PLAIN CRAM-MD5");
        assertEquals(Set.of("LOGIN", "PLAIN", "CRAM-MD5"), caps.authMechanisms());
    }

    @Test
    void greetingOnlyHasNoExtensions() {
        EhloCapabilities caps = parse("mx.example.org says hello");
        assertTrue(caps.keywords().isEmpty());
        assertFalse(EhloCapabilities.NONE.pipelining());
    }

    @Test
    void parametersAreKept() {
        EhloCapabilities caps = parse("hi", "MT-PRIORITY  MIXER", "LIMITS RCPTMAX=50 MAILMAX=10");
        assertEquals(List.of("RCPTMAX=50", "MAILMAX=10"), caps.parameters("limits"));
        assertEquals(List.of("MIXER"), caps.parameters("MT-PRIORITY"));
    }
}
