package org.merpati.ejb.outbound.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MtaStsPolicyTest {

    /** RFC 8461 section 3.2 example. */
    private static final String RFC_EXAMPLE = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
            + "mx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n";

    @Test
    void parsesRfcExample() {
        MtaStsPolicy policy = MtaStsPolicy.parse(RFC_EXAMPLE).orElseThrow();
        assertEquals(MtaStsPolicy.Mode.ENFORCE, policy.mode());
        assertEquals(List.of("mail.example.com", "*.example.net", "backupmx.example.com"), policy.mx());
        assertEquals(604800, policy.maxAge());
    }

    @Test
    void lfLineEndingsUnknownKeysAndCappedMaxAge() {
        MtaStsPolicy policy = MtaStsPolicy.parse("version: STSv1\nmode: testing\nfuture: thing\nmx: MX.Example.COM\nmax_age: 9999999999\n")
                .orElseThrow();
        assertEquals(MtaStsPolicy.Mode.TESTING, policy.mode());
        assertEquals(List.of("mx.example.com"), policy.mx());
        assertEquals(MtaStsPolicy.MAX_AGE_LIMIT, policy.maxAge());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "mode: enforce\nmx: a.example\nmax_age: 1\n",                       // no version
        "version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n",       // wrong version
        "version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n",        // bad mode
        "version: STSv1\nmode: enforce\nmax_age: 1\n",                      // enforce without mx
        "version: STSv1\nmode: enforce\nmx: a.example\n",                   // no max_age
        "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -5\n",      // bad max_age
        "<html>not found</html>"})
    void rejectsInvalidPolicies(String text) {
        assertEquals(Optional.empty(), MtaStsPolicy.parse(text));
    }

    @Test
    void modeNoneNeedsNoMx() {
        assertEquals(MtaStsPolicy.Mode.NONE, MtaStsPolicy.parse("version: STSv1\nmode: none\nmax_age: 60\n").orElseThrow().mode());
    }

    @ParameterizedTest
    @CsvSource({
        "mail.example.com, true",
        "MAIL.EXAMPLE.COM., true",
        "mx1.example.net, true",
        "a.b.example.net, false",   // the wildcard is one label only (RFC 8461 section 4.1)
        "example.net, false",
        "backupmx.example.com, true",
        "evil.example.com, false",
        "mail.example.com.evil.org, false"})
    void matchesMxPatterns(String host, boolean allowed) {
        assertEquals(allowed, MtaStsPolicy.parse(RFC_EXAMPLE).orElseThrow().allowsMx(host));
    }

    @Test
    void policyIdFromTxtRecords() {
        assertEquals(Optional.of("20160831085700Z"), MtaStsPolicy.policyId(List.of("v=STSv1; id=20160831085700Z;")));
        assertEquals(Optional.of("abc"), MtaStsPolicy.policyId(List.of("unrelated", "v=STSv1;id=abc")));
        assertEquals(Optional.empty(), MtaStsPolicy.policyId(List.of("v=STSv1; id=a; ", "v=STSv1; id=b")), "two records");
        assertEquals(Optional.empty(), MtaStsPolicy.policyId(List.of("v=STSv1;")), "no id");
        assertEquals(Optional.empty(), MtaStsPolicy.policyId(List.of("v=STSv1; id=has-dash")), "id not alphanumeric");
        assertEquals(Optional.empty(), MtaStsPolicy.policyId(List.of()));
        assertFalse(MtaStsPolicy.policyId(List.of("v=spf1 -all")).isPresent());
        assertTrue(MtaStsPolicy.policyId(List.of("v=STSv1; id=x1")).isPresent());
    }
}
