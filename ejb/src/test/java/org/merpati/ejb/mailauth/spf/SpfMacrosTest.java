package org.merpati.ejb.mailauth.spf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.merpati.ejb.mailauth.FakeDns;

/** The examples of RFC 7208 section 7.4, verbatim, plus the syntax errors of section 7.1. */
class SpfMacrosTest {

    private static SpfMacros.Values values(String ip) {
        InetAddress address = FakeDns.address(ip);
        return new SpfMacros.Values() {
            public String sender() { return "strong-bad@email.example.com"; }
            public String localPart() { return "strong-bad"; }
            public String senderDomain() { return "email.example.com"; }
            public String domain() { return "email.example.com"; }
            public InetAddress ip() { return address; }
            public String helo() { return "mx.example.org"; }
            public String validatedName() { return "unknown"; }
            public String receiver() { return "receiver.example.net"; }
            public long now() { return 1234; }
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "%{s}|strong-bad@email.example.com",
            "%{o}|email.example.com",
            "%{d}|email.example.com",
            "%{d4}|email.example.com",
            "%{d3}|email.example.com",
            "%{d2}|example.com",
            "%{d1}|com",
            "%{dr}|com.example.email",
            "%{d2r}|example.email",
            "%{l}|strong-bad",
            "%{l-}|strong.bad",
            "%{lr}|strong-bad",
            "%{lr-}|bad.strong",
            "%{l1r-}|strong",
            "%{ir}.%{v}._spf.%{d2}|3.2.0.192.in-addr._spf.example.com",
            "%{lr-}.lp._spf.%{d2}|bad.strong.lp._spf.example.com",
            "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}|bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
            "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}|3.2.0.192.in-addr.strong.lp._spf.example.com",
            "%{d2}.trusted-domains.example.net|example.com.trusted-domains.example.net",
            "%{S}|strong-bad%40email.example.com",
            "%%%_%-|% %20",
            "%{h}|mx.example.org",
    })
    void section74ExamplesIp4(String macro, String expected) throws SpfException {
        assertEquals(expected, SpfMacros.expand(macro, values("192.0.2.3"), false));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "%{ir}.%{v}._spf.%{d2}|1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
    })
    void section74ExampleIp6(String macro, String expected) throws SpfException {
        assertEquals(expected, SpfMacros.expand(macro, values("2001:db8::cb01"), false));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "%{c}|2001:db8::cb01",
            "%{r}|receiver.example.net",
            "%{t}|1234",
            "%{c} says %{i}|2001:db8::cb01 says 2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1",
    })
    void explanationOnlyLetters(String macro, String expected) throws SpfException {
        assertEquals(expected, SpfMacros.expand(macro, values("2001:db8::cb01"), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%{", "%{}", "%{x}", "%{c}", "%{r}", "%{t}", "%{d0}", "%{d2x}", "%{d!}", "%(d)",
            "a%b", "%{ir}.%"})
    void syntaxErrors(String macro) {
        assertThrows(SpfException.class, () -> SpfMacros.expand(macro, values("192.0.2.3"), false));
    }
}
