package org.merpati.ejb.mailauth.dmarc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.merpati.ejb.mailauth.ArcResult;
import org.merpati.ejb.mailauth.DkimResult;
import org.merpati.ejb.mailauth.FakeDns;
import org.merpati.ejb.mailauth.spf.SpfResult;
import org.merpati.ejb.mailauth.spf.SpfVerdict;

/** RFC 7489 discovery, alignment and policy selection, table-driven over an in-memory DNS. */
class DmarcEvaluatorTest {

    private static final FakeDns DNS = FakeDns.of("""
            _dmarc.example.com TXT v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com
            _dmarc.exact.example.com TXT v=DMARC1; p=none
            _dmarc.strict.org TXT v=DMARC1; p=quarantine; adkim=s; aspf=s
            _dmarc.example.co.uk TXT v=DMARC1;p=reject
            _dmarc.twice.org TXT v=DMARC1; p=reject
            _dmarc.twice.org TXT v=DMARC1; p=none
            _dmarc.badp.org TXT v=DMARC1; p=always
            _dmarc.badp-rua.org TXT v=DMARC1; p=always; rua=mailto:r@badp-rua.org
            _dmarc.badsp.org TXT v=DMARC1; p=reject; sp=maybe
            _dmarc.vlast.org TXT p=reject; v=DMARC1
            _dmarc.lower.org TXT v=dmarc1; p=reject
            _dmarc.timeout.org TIMEOUT
            _dmarc.pct0.org TXT v=DMARC1; p=reject; pct=0
            _dmarc.pct50.org TXT v=DMARC1; p=quarantine; pct=50
            _dmarc.badpct.org TXT v=DMARC1; p=reject; pct=abc; adkim=x
            _dmarc.merpati.test TXT v=DMARC1; p=reject
            _dmarc.other.org TXT spf-ish noise
            _dmarc.other.org TXT v=DMARC1; p=quarantine
            """);

    private static List<DkimResult> dkim(String spec) {
        List<DkimResult> results = new ArrayList<>();
        if (spec == null || spec.isEmpty()) {
            return results;
        }
        for (String item : spec.split(" ")) {
            String[] p = item.split(":");
            results.add(new DkimResult(p[0], p[1], "sel", "@" + p[1], "rsa-sha256", "abcdefgh", null));
        }
        return results;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // case | From domain | SPF result | SPF domain | DKIM results | percentile | result | policy | disposition
            "spf-relaxed-aligned|example.com|PASS|bounce.example.com|-|0|PASS|REJECT|NONE",
            "spf-pass-unaligned|example.com|PASS|example.net|-|0|FAIL|REJECT|REJECT",
            "spf-strict-subdomain|strict.org|PASS|mail.strict.org|-|0|FAIL|QUARANTINE|QUARANTINE",
            "spf-strict-exact|strict.org|PASS|strict.org|-|0|PASS|QUARANTINE|NONE",
            "spf-fail-aligned|example.com|FAIL|example.com|-|0|FAIL|REJECT|REJECT",
            "dkim-relaxed-aligned|example.com|FAIL|example.com|pass:mail.example.com|0|PASS|REJECT|NONE",
            "dkim-strict-mismatch|strict.org|NONE|x.org|pass:sub.strict.org|0|FAIL|QUARANTINE|QUARANTINE",
            "dkim-unaligned-pass|example.com|SOFTFAIL|example.com|pass:other.org|0|FAIL|REJECT|REJECT",
            "dkim-second-signature|example.com|NONE|x.net|fail:example.com pass:example.com|0|PASS|REJECT|NONE",
            "subdomain-uses-sp|sub.example.com|FAIL|sub.example.com|-|0|FAIL|QUARANTINE|QUARANTINE",
            "exact-record-uses-p|exact.example.com|FAIL|exact.example.com|-|0|FAIL|NONE|NONE",
            "psl-co-uk-aligned|a.example.co.uk|PASS|b.example.co.uk|-|0|PASS|REJECT|NONE",
            "psl-co-uk-unaligned|a.example.co.uk|PASS|other.co.uk|-|0|FAIL|REJECT|REJECT",
            "psl-default-rule|mail.merpati.test|PASS|merpati.test|-|0|PASS|REJECT|NONE",
            "no-record|nodmarc.org|FAIL|nodmarc.org|-|0|NONE|-|NONE",
            "two-records|twice.org|FAIL|twice.org|-|0|NONE|-|NONE",
            "noise-ignored|other.org|FAIL|other.org|-|0|FAIL|QUARANTINE|QUARANTINE",
            "invalid-p|badp.org|FAIL|badp.org|-|0|PERMERROR|-|NONE",
            "invalid-p-with-rua|badp-rua.org|FAIL|badp-rua.org|-|0|FAIL|NONE|NONE",
            "invalid-sp|badsp.org|FAIL|badsp.org|-|0|PERMERROR|-|NONE",
            "v-not-first|vlast.org|FAIL|vlast.org|-|0|NONE|-|NONE",
            "v-case-sensitive|lower.org|FAIL|lower.org|-|0|NONE|-|NONE",
            "dns-timeout|timeout.org|PASS|x.org|-|0|TEMPERROR|-|NONE",
            "spf-temperror-aligned|example.com|TEMPERROR|example.com|-|0|TEMPERROR|REJECT|NONE",
            "dkim-temperror-aligned|example.com|FAIL|x.net|temperror:example.com|0|TEMPERROR|REJECT|NONE",
            "dkim-temperror-but-spf-pass|example.com|PASS|example.com|temperror:example.com|0|PASS|REJECT|NONE",
            "pct0-reject-becomes-quarantine|pct0.org|FAIL|pct0.org|-|0|FAIL|REJECT|QUARANTINE",
            "pct50-sampled|pct50.org|FAIL|pct50.org|-|49|FAIL|QUARANTINE|QUARANTINE",
            "pct50-not-sampled|pct50.org|FAIL|pct50.org|-|50|FAIL|QUARANTINE|NONE",
            "invalid-tags-default|badpct.org|FAIL|sub.badpct.org|-|99|FAIL|REJECT|REJECT",
    })
    void evaluates(String name, String from, SpfResult spf, String spfDomain, String dkim, int percentile,
                   DmarcResult result, DmarcPolicy policy, DmarcPolicy disposition) {
        DmarcEvaluator evaluator = new DmarcEvaluator(DNS::txt, () -> percentile, false, Set.of());
        DmarcVerdict verdict = evaluator.evaluate(from, new SpfVerdict(spf, "u@" + spfDomain, spfDomain, null, null),
                dkim(dkim), ArcResult.NONE);
        assertEquals(result, verdict.result(), name + ": " + verdict);
        assertEquals(policy, verdict.policy(), name + ": " + verdict);
        assertEquals(disposition, verdict.disposition(), name + ": " + verdict);
    }

    @Test
    void trustedArcSealerOverridesAFailingPolicyOnlyWhenEnabled() {
        SpfVerdict spf = new SpfVerdict(SpfResult.FAIL, "u@example.com", "example.com", null, null);
        ArcResult arc = new ArcResult("pass", 2, "lists.example.org", null);
        DmarcVerdict trusted = new DmarcEvaluator(DNS::txt, () -> 0, true, Set.of("lists.example.org"))
                .evaluate("example.com", spf, List.of(), arc);
        assertEquals(DmarcResult.FAIL, trusted.result());
        assertEquals(DmarcPolicy.NONE, trusted.disposition());
        assertEquals("trusted_forwarder", trusted.override());

        DmarcVerdict disabled = new DmarcEvaluator(DNS::txt, () -> 0, false, Set.of("lists.example.org"))
                .evaluate("example.com", spf, List.of(), arc);
        assertEquals(DmarcPolicy.REJECT, disabled.disposition());

        DmarcVerdict untrusted = new DmarcEvaluator(DNS::txt, () -> 0, true, Set.of("other.example"))
                .evaluate("example.com", spf, List.of(), arc);
        assertEquals(DmarcPolicy.REJECT, untrusted.disposition());

        DmarcVerdict arcFailed = new DmarcEvaluator(DNS::txt, () -> 0, true, Set.of("lists.example.org"))
                .evaluate("example.com", spf, List.of(), new ArcResult("fail", 2, null, "bad seal"));
        assertEquals(DmarcPolicy.REJECT, arcFailed.disposition());
    }

    @ParameterizedTest
    @CsvSource({
            "example.com,example.com",
            "a.b.example.com,example.com",
            "www.example.co.uk,example.co.uk",
            "co.uk,co.uk",
            "mail.merpati.test,merpati.test",
            "EXAMPLE.COM.,example.com",
            "localhost,localhost",
    })
    void organizationalDomain(String domain, String expected) {
        assertEquals(expected, OrganizationalDomain.of(domain));
    }
}
