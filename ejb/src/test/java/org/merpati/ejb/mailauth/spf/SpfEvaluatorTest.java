package org.merpati.ejb.mailauth.spf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.merpati.ejb.mailauth.FakeDns;

/**
 * RFC 7208 behaviour, table-driven. The scenarios and cases follow the OpenSPF/pyspf "rfc7208-tests.yml" suite
 * (names kept where a case mirrors one of it), reconstructed from the RFC text; the zones are in-memory.
 */
class SpfEvaluatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    /** One check: client address, MAIL FROM (empty: null sender), HELO, expected result and explanation. */
    record Case(String name, String zone, String ip, String mailFrom, String helo, SpfResult expected,
                String explanation) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String INITIAL = """
            example.com TXT v=spf1 -all
            example.net TXT v=spf1 -all exp=exp.example.net
            a.example.net TXT v=spf1 -all exp=exp.example.net
            exp.example.net TXT %{l}
            a12345678901234567890123456789012345678901234567890123456789012.example.com TXT v=spf1 -all
            hosts TXT v=spf1 +all
            mail.example.net A 1.2.3.5
            """;

    private static final String RECORD_LOOKUP = """
            both.example.net TXT v=spf1 -all
            txttimeout.example.net TIMEOUT
            nospf.example.net TXT v=spf2.0 -all
            nospf.example.net TXT some other text
            """;

    private static final String SELECTING = """
            example1.com TXT v=spf1
            example2.com TXT v=spf1 -all
            example2.com TXT v=spf1 +all
            example3.com TXT v=spf10
            example3.com TXT v=spf1 mx
            example4.com TXT v=spf1mx -all
            example5.com TXT v=sPf1 +all
            example6.com TXT v=spf1 +all
            example6.com TXT v=spf2.0/mfrom -all
            example7.com TXT v=spf1 +all    
            """;

    private static final String EVALUATION = """
            t1.example.com TXT v=spf1 -all foo=%y
            t2.example.com TXT v=spf1 -all foo-bar=baz
            t3.example.com TXT v=spf1 a:foo-bar.example.com -all
            foo-bar.example.com A 1.2.3.4
            t4.example.com TXT v=spf1 redirect:t2.example.com
            t5.example.com TXT v=spf1 a:example.com:8080
            t6.example.com TXT v=spf1 ip4:1.2.3.4 a:e.example..com -all
            t7.example.com TXT v=spf1 ip4:1.2.3.4/32 -all default=+
            t8.example.com TXT v=spf1 a ~all exp=
            t9.example.com TXT v=spf1 a/99 -all
            t10.example.com TXT v=spf1 a:t10.example.com/0 -all
            t11.example.com TXT v=spf1 -all\tip4:1.2.3.4
            t12.example.com TXT v=spf1 ip4:1.2.3.4 abc:def
            t13.example.com TXT v=spf1 a
            """;

    private static final String ALL = """
            e1.example.com TXT v=spf1 -all.
            e2.example.com TXT v=spf1 -all:foobar
            e3.example.com TXT v=spf1 -all/8
            e4.example.com TXT v=spf1 ?all
            e5.example.com TXT v=spf1 all -all
            e6.example.com TXT v=spf1 ~all
            """;

    private static final String PTR = """
            1.2.3.4 PTR e3.example.com
            1.2.3.4 PTR e4.example.com
            1.2.3.4 PTR mail.example.com
            1.2.3.5 PTR e5.example.com
            1.2.3.6 PTR e6.example.com
            CAFE:BABE::1 PTR e3.example.com
            e1.example.com TXT v=spf1 ptr/0 -all
            e2.example.com TXT v=spf1 ptr:example.com -all
            e3.example.com TXT v=spf1 ptr -all
            e3.example.com A 1.2.3.4
            e3.example.com AAAA CAFE:BABE::1
            e4.example.com TXT v=spf1 ptr -all
            e4.example.com A 1.2.3.7
            e5.example.com TXT v=spf1 ptr:
            e6.example.com TXT v=spf1 ptr:example.com -all
            mail.example.com A 1.2.3.4
            """;

    private static final String A = """
            e1.example.com TXT v=spf1 a/0 -all
            e1.example.com A 1.1.1.1
            e2.example.com TXT v=spf1 a:e2.example.com/24 -all
            e2.example.com A 1.2.3.100
            e2.example.com AAAA 1234::2
            e2a.example.com TXT v=spf1 a//33 -all
            e2b.example.com TXT v=spf1 a:e2.example.com//33 -all
            e2c.example.com TXT v=spf1 a:e2.example.com/24//64 -all
            e3.example.com TXT v=spf1 a:foo.example.com/33 -all
            e4.example.com TXT v=spf1 a:111.222.33.44
            e5.example.com TXT v=spf1 a:abc.123
            e6.example.com TXT v=spf1 a//129 -all
            e7.example.com TXT v=spf1 a:e6.example.xn--zck ~all
            e6.example.xn--zck A 1.2.3.4
            e8.example.com TXT v=spf1 a: -all
            e9.example.com TXT v=spf1 a:museum
            e10.example.com TXT v=spf1 a:foo.example.com -all
            e11.example.com TXT v=spf1 a:example.-com
            e12.example.com TXT v=spf1 a:foo.example.com/32 -all
            foo.example.com A 1.2.3.4
            e13.example.com TXT v=spf1 a:nxdomain.example.com ~all
            e14.example.com TXT v=spf1 a:e14.example.com -all
            e14.example.com AAAA 1234::1
            e14.example.com A 1.2.3.5
            """;

    private static final String INCLUDE = """
            ip5.example.com TXT v=spf1 ip4:1.2.3.5 -all
            ip6.example.com TXT v=spf1 ip4:1.2.3.6 ~all
            ip7.example.com TXT v=spf1 ip4:1.2.3.7 ?all
            ip8.example.com TIMEOUT
            erehwon.example.com TXT v=spfl am not an SPF record
            e1.example.com TXT v=spf1 include:ip5.example.com ~all
            e2.example.com TXT v=spf1 include:ip6.example.com all
            e3.example.com TXT v=spf1 include:ip7.example.com -all
            e4.example.com TXT v=spf1 include:ip8.example.com -all
            e5.example.com TXT v=spf1 include:e6.example.com -all
            e6.example.com TXT v=spf1 include +all
            e7.example.com TXT v=spf1 include:erehwon.example.com -all
            e8.example.com TXT v=spf1 include:e9.example.com/24 -all
            e9.example.com TXT v=spf1 include: -all
            """;

    private static final String MX = """
            e1.example.com TXT v=spf1 mx/0 -all
            e1.example.com MX 0 e1.example.com
            e1.example.com A 1.1.1.1
            e2.example.com TXT v=spf1 mx:foo.example.com/33 -all
            e3.example.com TXT v=spf1 mx:foo.example.com -all
            foo.example.com MX 0 foo1.example.com
            foo1.example.com A 1.1.1.1
            foo1.example.com A 1.2.3.5
            e4.example.com TXT v=spf1 mx
            e4.example.com A 1.2.3.4
            e5.example.com TXT v=spf1 mx: -all
            e6.example.com TXT v=spf1 mx//129 -all
            e7.example.com TXT v=spf1 mx:nonexistent.example.com -all
            e8.example.com TXT v=spf1 mx:e8.example.com -all
            e8.example.com MX 0 .
            e9.example.com TXT v=spf1 mx:e9.example.com/24 -all
            e9.example.com MX 0 e9mx.example.com
            e9mx.example.com A 1.2.3.100
            e10.example.com TXT v=spf1 mx -all
            e10.example.com MX 0 m1.example.com
            e10.example.com MX 1 m2.example.com
            e10.example.com MX 2 m3.example.com
            e10.example.com MX 3 m4.example.com
            e10.example.com MX 4 m5.example.com
            e10.example.com MX 5 m6.example.com
            e10.example.com MX 6 m7.example.com
            e10.example.com MX 7 m8.example.com
            e10.example.com MX 8 m9.example.com
            e10.example.com MX 9 m10.example.com
            e10.example.com MX 10 m11.example.com
            m11.example.com A 1.2.3.4
            e11.example.com TXT v=spf1 mx -all
            e11.example.com MX 0 m1.example.com
            e11.example.com MX 1 m11.example.com
            e12.example.com TXT v=spf1 mx -all
            e12.example.com MX 0 e12mx.example.com
            e12mx.example.com TIMEOUT
            """;

    private static final String EXISTS = """
            e1.example.com TXT v=spf1 exists:
            e2.example.com TXT v=spf1 exists
            e3.example.com TXT v=spf1 exists:mail.example.com/24
            e4.example.com TXT v=spf1 exists:mail.example.com
            e5.example.com TXT v=spf1 exists:mail6.example.com -all
            e6.example.com TXT v=spf1 exists:err.example.com -all
            mail.example.com A 1.2.3.4
            mail6.example.com AAAA CAFE:BABE::4
            err.example.com TIMEOUT
            """;

    private static final String IP = """
            e1.example.com TXT v=spf1 ip4:1.1.1.1/0 -all
            e2.example.com TXT v=spf1 ip4:1.2.3.4/32 -all
            e3.example.com TXT v=spf1 ip4:1.2.3.4/33 -all
            e4.example.com TXT v=spf1 ip4:1.2.3.4/032 -all
            e5.example.com TXT v=spf1 ip4
            e6.example.com TXT v=spf1 ip4:1.2.3.4//32
            e7.example.com TXT v=spf1 -ip4:1.2.3.4 ?ip6:::FFFF:1.2.3.4
            e8.example.com TXT v=spf1 ip4:1.2.3.4:8080
            e9.example.com TXT v=spf1 ip4:1.2.3
            e10.example.com TXT v=spf1 ip4:1.2.3.04 -all
            f1.example.com TXT v=spf1 -all ip6
            f2.example.com TXT v=spf1 ip6:::1.1.1.1/0
            f3.example.com TXT v=spf1 ip6:::1.1.1.1/129
            f4.example.com TXT v=spf1 ip6::CAFE::BABE
            f5.example.com TXT v=spf1 ip6:::/0 -all
            f6.example.com TXT v=spf1 ip6:cafe:babe::/32 -all
            """;

    private static final String MODIFIERS = """
            e1.example.com TXT v=spf1 exp=exp1.example.com redirect=e2.example.com
            e2.example.com TXT v=spf1 -all
            e3.example.com TXT v=spf1 exp=exp1.example.com redirect=e4.example.com
            e4.example.com TXT v=spf1 -all exp=exp2.example.com
            exp1.example.com TXT No see 'um.
            exp2.example.com TXT See me.
            exp3.example.com TXT Correct!
            exp4.example.com TXT %{l} in implementation
            e5.example.com TXT v=spf1 redirect=e5.example.com
            e6.example.com TXT v=spf1 exp=e6msg.example.com -all
            e6msg.example.com TXT Enjoy your %{L} stay.
            e7.example.com TXT v=spf1 exp=e7msg.example.com -all
            e7msg.example.com TXT Correct!
            e7msg.example.com TXT Another.
            e8.example.com TXT v=spf1 -all exp=exp4.example.com
            e9.example.com TXT v=spf1 -all foo=%abc
            e10.example.com TXT v=spf1 redirect=erehwon.example.com
            e11.example.com TXT v=spf1 -all exp=e11msg.example.com
            e11msg.example.com TXT %{c} is not one of %{d}'s designated mail servers.
            e12.example.com TXT v=spf1 exp= -all
            e13.example.com TXT v=spf1 exp=e13msg.example.com -all
            e13msg.example.com TXT The %{x}-files are out there.
            e14.example.com TXT v=spf1 exp=e13msg.example.com -all exp=e11msg.example.com
            e15.example.com TXT v=spf1 redirect=e12.example.com -all redirect=e12.example.com
            e16.example.com TXT v=spf1 exp=-all
            e17.example.com TXT v=spf1 redirect=-all ?all
            e18.example.com TXT v=spf1 ?all redirect=
            e19.example.com TXT v=spf1 default=pass
            e20.example.com TXT v=spf1 default=+
            e21.example.com TXT v=spf1 exp=e21msg.example.com -all
            e21msg.example.com TIMEOUT
            e22.example.com TXT v=spf1 exp=mail.example.com -all
            e23.example.com TXT v=spf1 a:erehwon.example.com a:foobar.com exp=nxdomain.com -all
            e24.example.com TXT v=spf1 redirect=testimp.example.com
            testimp.example.com TXT v=spf1 -all exp=e24msg.example.com
            e24msg.example.com TXT Your address is %{ir}, not %{c}: %{d} says so at %{t} (%{r}).
            """;

    private static final String MACROS = """
            example.com.d.spf.example.com TXT v=spf1 redirect=a.spf.example.com
            a.spf.example.com TXT v=spf1 include:o.spf.example.com. ~all
            o.spf.example.com TXT v=spf1 ip4:192.168.218.40
            msgbas2x.cos.example.com A 192.168.218.40
            example.com A 192.168.90.76
            4.3.2.1.in-addr._spf.example.com A 127.0.0.2
            e1.example.com TXT v=spf1 -exists:%(ir).sbl.example.com ?all
            e1e.example.com TXT v=spf1 exists:foo%(ir).sbl.example.com ?all
            e1t.example.com TXT v=spf1 exists:foo%.sbl.example.com ?all
            e1a.example.com TXT v=spf1 a:macro%%percent%-url-space.example.com -all
            macro%percent%20url-space.example.com A 1.2.3.4
            e2.example.com TXT v=spf1 -all exp=%{r}.example.com
            e3.example.com TXT v=spf1 -all exp=%{ir}.example.com
            4.3.2.1.example.com TXT Connections from %{c} not authorized.
            e4.example.com TXT v=spf1 -all exp=e4msg.example.com
            e4msg.example.com TXT %{c} is queried as %{ir}.%{v}.arpa
            e5.example.com TXT v=spf1 a:%{a}.example.com -all
            e6.example.com TXT v=spf1 -all exp=e6msg.example.com
            e6msg.example.com TXT connect from %{p}
            1.2.3.4 PTR mx.example.com
            1.2.3.4 PTR mx.e7.example.com
            mx.example.com A 1.2.3.4
            mx.e7.example.com A 1.2.3.4
            e7.example.com TXT v=spf1 exists:%{p}.should.example.com ~exists:%{p}.ok.example.com
            mx.e7.example.com.should.example.com A 127.0.0.2
            e8.example.com TXT v=spf1 -all exp=e8msg.example.com
            e8msg.example.com TXT http://example.com/why.html?l=%{L}
            e9.example.com TXT v=spf1 a:%{H}.bar -all
            e10.example.com TXT v=spf1 -include:_spfh.%{d2} ip4:1.2.3.0/24 -all
            _spfh.example.com TXT v=spf1 -a:%{h} +all
            oemcomputer A 1.2.3.4
            e11.example.com TXT v=spf1 exists:%{i}.%{l2r-}.user.%{d2}
            1.2.3.4.gladstone.philip.user.example.com A 127.0.0.2
            e12.example.com TXT v=spf1 exists:%{l2r+-}.user.%{d2}
            bar.foo.user.example.com A 127.0.0.2
            e13.example.com TXT v=spf1 exists:%{ir}.%{v}._spf.%{d2} -all
            1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com A 127.0.0.2
            e14.example.com TXT v=spf1 exists:%{d}.
            e14.example.com A 127.0.0.2
            e15.example.com TXT v=spf1 -all exp=e15msg.example.com
            e15msg.example.com TXT %
            """;

    private static final String LIMITS = """
            e1.example.com TXT v=spf1 ip4:1.1.1.1 redirect=e1.example.com
            e2.example.com TXT v=spf1 include:e3.example.com
            e3.example.com TXT v=spf1 include:e2.example.com
            e4.example.com TXT v=spf1 a a a a a a a a a a -all
            e4.example.com A 1.2.3.5
            e5.example.com TXT v=spf1 a a a a a a a a a a a -all
            e5.example.com A 1.2.3.5
            e6.example.com TXT v=spf1 a:err.example.com a:err1.example.com ?all
            e7.example.com TXT v=spf1 a:err.example.com a:err1.example.com a:err2.example.com ?all
            e8.example.com TXT v=spf1 ip4:1.2.3.4 a a a a a a a a a a a -all
            e9.example.com TXT v=spf1 ptr
            1.2.3.4 PTR h1.example.com
            1.2.3.4 PTR h2.example.com
            1.2.3.4 PTR h3.example.com
            1.2.3.4 PTR h4.example.com
            1.2.3.4 PTR h5.example.com
            1.2.3.4 PTR h6.example.com
            1.2.3.4 PTR h7.example.com
            1.2.3.4 PTR h8.example.com
            1.2.3.4 PTR h9.example.com
            1.2.3.4 PTR h10.example.com
            1.2.3.4 PTR e9.example.com
            e9.example.com A 1.2.3.4
            e10.example.com TXT v=spf1 include:i1.example.com include:i2.example.com include:i3.example.com include:i4.example.com include:i5.example.com include:i6.example.com include:i7.example.com include:i8.example.com include:i9.example.com include:i10.example.com -all
            e11.example.com TXT v=spf1 include:i1.example.com include:i2.example.com include:i3.example.com include:i4.example.com include:i5.example.com include:i6.example.com include:i7.example.com include:i8.example.com include:i9.example.com include:i10.example.com include:i11.example.com -all
            i1.example.com TXT v=spf1 ?all
            i2.example.com TXT v=spf1 ?all
            i3.example.com TXT v=spf1 ?all
            i4.example.com TXT v=spf1 ?all
            i5.example.com TXT v=spf1 ?all
            i6.example.com TXT v=spf1 ?all
            i7.example.com TXT v=spf1 ?all
            i8.example.com TXT v=spf1 ?all
            i9.example.com TXT v=spf1 ?all
            i10.example.com TXT v=spf1 ?all
            i11.example.com TXT v=spf1 ?all
            e12.example.com TXT v=spf1 exists:nx1.example.com exists:nx2.example.com exists:nx3.example.com +all
            e13.example.com TXT v=spf1 mx:nx1.example.com mx:nx2.example.com a:e4.example.com ?all
            """;

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // 4.3 initial processing
        c.add(new Case("toolonglabel", INITIAL, "1.2.3.5", "lyme.eater@a123456789012345678901234567890123456789012345678901234567890123.example.com", "mail.example.net", SpfResult.NONE, null));
        c.add(new Case("longlabel", INITIAL, "1.2.3.5", "lyme.eater@a12345678901234567890123456789012345678901234567890123456789012.example.com", "mail.example.net", SpfResult.FAIL, null));
        c.add(new Case("emptylabel", INITIAL, "1.2.3.5", "lyme.eater@a..example.com", "mail.example.net", SpfResult.NONE, null));
        c.add(new Case("helo-not-fqdn", INITIAL, "1.2.3.5", "", "A2345678", SpfResult.NONE, null));
        c.add(new Case("helo-domain-literal", INITIAL, "1.2.3.5", "", "[1.2.3.5]", SpfResult.NONE, null));
        c.add(new Case("nolocalpart", INITIAL, "1.2.3.4", "@example.net", "mail.example.net", SpfResult.FAIL, "postmaster"));
        c.add(new Case("domain-literal", INITIAL, "1.2.3.4", "foo@[1.2.3.5]", "ok.example.com", SpfResult.NONE, null));
        c.add(new Case("null-sender-uses-helo", INITIAL, "1.2.3.4", "", "a.example.net", SpfResult.FAIL, "postmaster"));
        c.add(new Case("not-multilabel", INITIAL, "1.2.3.4", "user@hosts", "mail.example.net", SpfResult.NONE, null));
        // 4.4 record lookup
        c.add(new Case("both", RECORD_LOOKUP, "1.2.3.4", "foo@both.example.net", "mail.example.net", SpfResult.FAIL, null));
        c.add(new Case("txttimeout", RECORD_LOOKUP, "1.2.3.4", "foo@txttimeout.example.net", "mail.example.net", SpfResult.TEMPERROR, null));
        c.add(new Case("nospftxt", RECORD_LOOKUP, "1.2.3.4", "foo@nospf.example.net", "mail.example.net", SpfResult.NONE, null));
        c.add(new Case("nxdomain", RECORD_LOOKUP, "1.2.3.4", "foo@nothere.example.net", "mail.example.net", SpfResult.NONE, null));
        // 4.5 selecting records
        c.add(new Case("empty", SELECTING, "1.2.3.4", "foo@example1.com", "mail1.example1.com", SpfResult.NEUTRAL, null));
        c.add(new Case("multitxt2", SELECTING, "1.2.3.4", "foo@example2.com", "mail.example1.com", SpfResult.PERMERROR, null));
        c.add(new Case("spf10-ignored", SELECTING, "1.2.3.4", "foo@example3.com", "mail.example1.com", SpfResult.NEUTRAL, null));
        c.add(new Case("nospace1", SELECTING, "1.2.3.4", "foo@example4.com", "mail.example1.com", SpfResult.NONE, null));
        c.add(new Case("case-insensitive", SELECTING, "1.2.3.4", "foo@example5.com", "mail.example1.com", SpfResult.PASS, null));
        c.add(new Case("spf2-ignored", SELECTING, "1.2.3.4", "foo@example6.com", "mail.example1.com", SpfResult.PASS, null));
        c.add(new Case("trailing-space", SELECTING, "1.2.3.4", "foo@example7.com", "mail.example1.com", SpfResult.PASS, null));
        // 4.6 record evaluation
        c.add(new Case("detect-errors-anywhere", EVALUATION, "1.2.3.4", "foo@t1.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("modifier-charset-good", EVALUATION, "1.2.3.4", "foo@t2.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("dash-in-domain", EVALUATION, "1.2.3.4", "foo@t3.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("redirect-is-modifier", EVALUATION, "1.2.3.4", "foo@t4.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("invalid-domain", EVALUATION, "1.2.3.4", "foo@t5.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("invalid-domain-empty-label-is-void", EVALUATION, "1.2.3.5", "foo@t6.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("unknown-modifier-ignored", EVALUATION, "1.2.3.4", "foo@t7.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("exp-empty-domain", EVALUATION, "1.2.3.4", "foo@t8.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("cidr-out-of-range", EVALUATION, "1.2.3.4", "foo@t9.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("domain-spec-with-cidr", EVALUATION, "1.2.3.4", "foo@t10.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("tab-is-not-a-separator", EVALUATION, "1.2.3.4", "foo@t11.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("unknown-mechanism", EVALUATION, "1.2.3.4", "foo@t12.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("default-result", EVALUATION, "1.2.3.4", "foo@t13.example.com", "mail.example.com", SpfResult.NEUTRAL, null));
        // 5.1 all
        c.add(new Case("all-dot", ALL, "1.2.3.4", "foo@e1.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("all-arg", ALL, "1.2.3.4", "foo@e2.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("all-cidr", ALL, "1.2.3.4", "foo@e3.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("all-neutral", ALL, "1.2.3.4", "foo@e4.example.com", "mail.example.com", SpfResult.NEUTRAL, null));
        c.add(new Case("all-double", ALL, "1.2.3.4", "foo@e5.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("all-softfail", ALL, "1.2.3.4", "foo@e6.example.com", "mail.example.com", SpfResult.SOFTFAIL, null));
        // 5.5 ptr
        c.add(new Case("ptr-cidr", PTR, "1.2.3.4", "foo@e1.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("ptr-match-implicit", PTR, "1.2.3.4", "foo@e3.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("ptr-nomatch-invalid", PTR, "1.2.3.4", "foo@e4.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("ptr-match-ip6", PTR, "CAFE:BABE::1", "foo@e3.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("ptr-empty-domain", PTR, "1.2.3.4", "foo@e5.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("ptr-match-target", PTR, "1.2.3.4", "foo@e2.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("ptr-unvalidated", PTR, "1.2.3.6", "foo@e6.example.com", "mail.example.com", SpfResult.FAIL, null));
        // 5.3 a
        c.add(new Case("a-cidr4-0", A, "1.2.3.4", "foo@e1.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("a-cidr4-0-ip6", A, "1234::1", "foo@e1.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("a-cidr4-24", A, "1.2.3.4", "foo@e2.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("a-cidr6-33-ip4", A, "1.2.3.4", "foo@e2a.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("a-cidr6-33-match", A, "1234::9", "foo@e2b.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("a-dual-cidr-ip4", A, "1.2.3.4", "foo@e2c.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("a-dual-cidr-ip6", A, "1234::ffff", "foo@e2c.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("a-dual-cidr-ip6-nomatch", A, "1235::1", "foo@e2c.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("a-bad-cidr4", A, "1.2.3.4", "foo@e3.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("a-numeric", A, "1.2.3.4", "foo@e4.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("a-numeric-toplabel", A, "1.2.3.4", "foo@e5.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("a-bad-cidr6", A, "1.2.3.4", "foo@e6.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("a-dash-in-toplabel", A, "1.2.3.4", "foo@e7.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("a-empty-domain", A, "1.2.3.4", "foo@e8.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("a-only-toplabel", A, "1.2.3.4", "foo@e9.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("a-match", A, "1.2.3.4", "foo@e10.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("a-bad-toplabel", A, "1.2.3.4", "foo@e11.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("a-cidr4-32", A, "1.2.3.4", "foo@e12.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("a-nxdomain", A, "1.2.3.4", "foo@e13.example.com", "mail.example.com", SpfResult.SOFTFAIL, null));
        c.add(new Case("a-ip6-dualstack", A, "1234::1", "foo@e14.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("a-ip4-mapped-ip6", A, "::FFFF:1.2.3.5", "foo@e14.example.com", "mail.example.com", SpfResult.PASS, null));
        // 5.2 include
        c.add(new Case("include-fail", INCLUDE, "1.2.3.4", "foo@e1.example.com", "mail.example.com", SpfResult.SOFTFAIL, null));
        c.add(new Case("include-softfail", INCLUDE, "1.2.3.4", "foo@e2.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("include-neutral", INCLUDE, "1.2.3.4", "foo@e3.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("include-match", INCLUDE, "1.2.3.5", "foo@e1.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("include-temperror", INCLUDE, "1.2.3.4", "foo@e4.example.com", "mail.example.com", SpfResult.TEMPERROR, null));
        c.add(new Case("include-syntax-error", INCLUDE, "1.2.3.4", "foo@e5.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("include-none", INCLUDE, "1.2.3.4", "foo@e7.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("include-cidr", INCLUDE, "1.2.3.4", "foo@e8.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("include-empty-domain", INCLUDE, "1.2.3.4", "foo@e9.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        // 5.4 mx
        c.add(new Case("mx-cidr4-0", MX, "1.2.3.4", "foo@e1.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("mx-bad-cidr4", MX, "1.2.3.4", "foo@e2.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("mx-multi-ip", MX, "1.2.3.5", "foo@e3.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("mx-implicit", MX, "1.2.3.4", "foo@e4.example.com", "mail.example.com", SpfResult.NEUTRAL, null));
        c.add(new Case("mx-empty-domain", MX, "1.2.3.4", "foo@e5.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("mx-bad-cidr6", MX, "1.2.3.4", "foo@e6.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("mx-nxdomain", MX, "1.2.3.4", "foo@e7.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("mx-null", MX, "1.2.3.4", "foo@e8.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("mx-cidr4-24", MX, "1.2.3.4", "foo@e9.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("mx-limit", MX, "1.2.3.4", "foo@e10.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("mx-second-host", MX, "1.2.3.4", "foo@e11.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("mx-address-timeout", MX, "1.2.3.4", "foo@e12.example.com", "mail.example.com", SpfResult.TEMPERROR, null));
        // 5.7 exists
        c.add(new Case("exists-empty-domain", EXISTS, "1.2.3.4", "foo@e1.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("exists-implicit", EXISTS, "1.2.3.4", "foo@e2.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("exists-cidr", EXISTS, "1.2.3.4", "foo@e3.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("exists-ip4", EXISTS, "1.2.3.4", "foo@e4.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("exists-ip6", EXISTS, "CAFE:BABE::3", "foo@e4.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("exists-ip6only", EXISTS, "CAFE:BABE::3", "foo@e5.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("exists-dnserr", EXISTS, "CAFE:BABE::3", "foo@e6.example.com", "mail.example.com", SpfResult.TEMPERROR, null));
        // 5.6 ip4, ip6
        c.add(new Case("cidr4-0", IP, "1.2.3.4", "foo@e1.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("cidr4-32", IP, "1.2.3.4", "foo@e2.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("cidr4-33", IP, "1.2.3.4", "foo@e3.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("cidr4-032", IP, "1.2.3.4", "foo@e4.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("bare-ip4", IP, "1.2.3.4", "foo@e5.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("bad-ip4-dual-cidr", IP, "1.2.3.4", "foo@e6.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("ip4-mapped-ip6", IP, "::FFFF:1.2.3.4", "foo@e7.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("bad-ip4-port", IP, "1.2.3.4", "foo@e8.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("bad-ip4-short", IP, "1.2.3.4", "foo@e9.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("bad-ip4-leading-zero", IP, "1.2.3.4", "foo@e10.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("bare-ip6", IP, "1.2.3.4", "foo@f1.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("cidr6-0-ip4", IP, "1.2.3.4", "foo@f2.example.com", "mail.example.com", SpfResult.NEUTRAL, null));
        c.add(new Case("cidr6-129", IP, "1.2.3.4", "foo@f3.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("cidr6-bad", IP, "1.2.3.4", "foo@f4.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("cidr6-0", IP, "DEAF:BABE::CAB:FEE", "foo@f5.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("cidr6-32", IP, "CAFE:BABE:8000::", "foo@f6.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("cidr6-33-nomatch", IP, "CAFE:BABF::", "foo@f6.example.com", "mail.example.com", SpfResult.FAIL, null));
        // 6 modifiers
        c.add(new Case("redirect-cancels-exp", MODIFIERS, "1.2.3.4", "foo@e1.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("redirect-uses-target-exp", MODIFIERS, "1.2.3.4", "foo@e3.example.com", "mail.example.com", SpfResult.FAIL, "See me."));
        c.add(new Case("redirect-loop", MODIFIERS, "1.2.3.4", "foo@e5.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("exp-upper-macro-escaped", MODIFIERS, "1.2.3.4", "foo+bar@e6.example.com", "mail.example.com", SpfResult.FAIL, "Enjoy your foo%2Bbar stay."));
        c.add(new Case("exp-multiple-txt", MODIFIERS, "1.2.3.4", "foo@e7.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("exp-macro-l", MODIFIERS, "1.2.3.4", "foobar@e8.example.com", "mail.example.com", SpfResult.FAIL, "foobar in implementation"));
        c.add(new Case("unknown-modifier-syntax", MODIFIERS, "1.2.3.4", "foo@e9.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("redirect-none", MODIFIERS, "1.2.3.4", "foo@e10.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("exp-macros-c-d", MODIFIERS, "1.2.3.4", "foo@e11.example.com", "mail.example.com", SpfResult.FAIL, "1.2.3.4 is not one of e11.example.com's designated mail servers."));
        c.add(new Case("exp-empty", MODIFIERS, "1.2.3.4", "foo@e12.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("explanation-syntax-error", MODIFIERS, "1.2.3.4", "foo@e13.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("exp-twice", MODIFIERS, "1.2.3.4", "foo@e14.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("redirect-twice", MODIFIERS, "1.2.3.4", "foo@e15.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("exp-syntax-error", MODIFIERS, "1.2.3.4", "foo@e16.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("redirect-syntax-error", MODIFIERS, "1.2.3.4", "foo@e17.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("redirect-empty-domain", MODIFIERS, "1.2.3.4", "foo@e18.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("default-modifier-obsolete", MODIFIERS, "1.2.3.4", "foo@e19.example.com", "mail.example.com", SpfResult.NEUTRAL, null));
        c.add(new Case("default-modifier-obsolete2", MODIFIERS, "1.2.3.4", "foo@e20.example.com", "mail.example.com", SpfResult.NEUTRAL, null));
        c.add(new Case("exp-dns-error", MODIFIERS, "1.2.3.4", "foo@e21.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("exp-no-txt", MODIFIERS, "1.2.3.4", "foo@e22.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("exp-nxdomain", MODIFIERS, "1.2.3.4", "foo@e23.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("exp-macros-ir-c-d-t-r", MODIFIERS, "1.2.3.4", "foo@e24.example.com", "mail.example.com", SpfResult.FAIL, "Your address is 4.3.2.1, not 1.2.3.4: testimp.example.com says so at 1700000000 (mx.receiver.example)."));
        // 7 macros
        c.add(new Case("invalid-macro-char", MACROS, "1.2.3.4", "test@e1.example.com", "msgbas2x.cos.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("invalid-embed-macro-char", MACROS, "1.2.3.4", "test@e1e.example.com", "msgbas2x.cos.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("invalid-trailing-macro-char", MACROS, "1.2.3.4", "test@e1t.example.com", "msgbas2x.cos.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("macro-percent-escapes", MACROS, "1.2.3.4", "test@e1a.example.com", "msgbas2x.cos.example.com", SpfResult.PASS, null));
        c.add(new Case("exp-only-macro-char", MACROS, "192.168.218.40", "test@e2.example.com", "msgbas2x.cos.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("exp-ir-macro", MACROS, "1.2.3.4", "test@e3.example.com", "msgbas2x.cos.example.com", SpfResult.FAIL, "Connections from 1.2.3.4 not authorized."));
        c.add(new Case("v-macro-ip4", MACROS, "192.168.218.40", "test@e4.example.com", "msgbas2x.cos.example.com", SpfResult.FAIL, "192.168.218.40 is queried as 40.218.168.192.in-addr.arpa"));
        c.add(new Case("v-macro-ip6", MACROS, "CAFE:BABE::1", "test@e4.example.com", "msgbas2x.cos.example.com", SpfResult.FAIL, "cafe:babe::1 is queried as 1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.e.b.a.b.e.f.a.c.ip6.arpa"));
        c.add(new Case("undef-macro", MACROS, "CAFE:BABE::192.168.218.40", "test@e5.example.com", "msgbas2x.cos.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("p-macro-ip4-novalid", MACROS, "1.2.3.5", "test@e6.example.com", "msgbas2x.cos.example.com", SpfResult.FAIL, "connect from unknown"));
        c.add(new Case("p-macro-ip4-valid", MACROS, "1.2.3.4", "test@e6.example.com", "msgbas2x.cos.example.com", SpfResult.FAIL, "connect from mx.example.com"));
        c.add(new Case("p-macro-multiple", MACROS, "1.2.3.4", "test@e7.example.com", "msgbas2x.cos.example.com", SpfResult.PASS, null));
        c.add(new Case("upper-macro", MACROS, "192.168.218.42", "jack&jill=up@e8.example.com", "msgbas2x.cos.example.com", SpfResult.FAIL, "http://example.com/why.html?l=jack%26jill%3Dup"));
        c.add(new Case("hello-macro", MACROS, "192.168.218.40", "test@e9.example.com", "msgbas2x.cos.example.com", SpfResult.FAIL, null));
        c.add(new Case("require-valid-helo", MACROS, "1.2.3.4", "test@e10.example.com", "OEMCOMPUTER", SpfResult.PASS, null));
        c.add(new Case("macro-reverse-split-on-dash", MACROS, "1.2.3.4", "philip-gladstone-test@e11.example.com", "msgbas2x.cos.example.com", SpfResult.PASS, null));
        c.add(new Case("macro-multiple-delimiters", MACROS, "1.2.3.4", "foo-bar+zip+quux@e12.example.com", "msgbas2x.cos.example.com", SpfResult.PASS, null));
        c.add(new Case("v-macro-ip6-exists", MACROS, "2001:db8::cb01", "strong-bad@e13.example.com", "msgbas2x.cos.example.com", SpfResult.PASS, null));
        c.add(new Case("trailing-dot-domain", MACROS, "192.168.218.40", "test@e14.example.com", "msgbas2x.cos.example.com", SpfResult.PASS, null));
        c.add(new Case("exp-lone-percent", MACROS, "1.2.3.4", "test@e15.example.com", "msgbas2x.cos.example.com", SpfResult.FAIL, null));
        // 4.6.4 limits
        c.add(new Case("redirect-loop-limit", LIMITS, "1.2.3.4", "foo@e1.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("include-loop", LIMITS, "1.2.3.4", "foo@e2.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("false-a-limit-10", LIMITS, "1.2.3.4", "foo@e4.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("a-limit-11", LIMITS, "1.2.3.4", "foo@e5.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("void-at-limit", LIMITS, "1.2.3.4", "foo@e6.example.com", "mail.example.com", SpfResult.NEUTRAL, null));
        c.add(new Case("void-over-limit", LIMITS, "1.2.3.4", "foo@e7.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("limit-not-reached-when-matched-early", LIMITS, "1.2.3.4", "foo@e8.example.com", "mail.example.com", SpfResult.PASS, null));
        c.add(new Case("ptr-limit-first-10-only", LIMITS, "1.2.3.4", "foo@e9.example.com", "mail.example.com", SpfResult.NEUTRAL, null));
        c.add(new Case("include-at-limit", LIMITS, "1.2.3.4", "foo@e10.example.com", "mail.example.com", SpfResult.FAIL, null));
        c.add(new Case("include-over-limit", LIMITS, "1.2.3.4", "foo@e11.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("exists-void-over-limit", LIMITS, "1.2.3.4", "foo@e12.example.com", "mail.example.com", SpfResult.PERMERROR, null));
        c.add(new Case("mx-void-at-limit", LIMITS, "1.2.3.5", "foo@e13.example.com", "mail.example.com", SpfResult.PASS, null));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mailFromCheck(Case c) {
        SpfEvaluator spf = new SpfEvaluator(FakeDns.of(c.zone()), "mx.receiver.example", CLOCK);
        SpfVerdict verdict = spf.checkMailFrom(FakeDns.address(c.ip()), c.helo(), c.mailFrom());
        assertEquals(c.expected(), verdict.result(), () -> c.name() + ": " + verdict);
        if (c.explanation() != null) {
            assertEquals(c.explanation(), verdict.explanation(), c.name());
        }
    }

    @Test
    void heloCheckUsesTheHeloNameAndPostmaster() {
        FakeDns dns = FakeDns.of("""
                mail.example.com TXT v=spf1 a -all exp=why.example.com
                mail.example.com A 1.2.3.4
                why.example.com TXT %{s} via %{h}
                """);
        SpfEvaluator spf = new SpfEvaluator(dns, "mx", CLOCK);
        assertEquals(SpfResult.PASS, spf.checkHelo(FakeDns.address("1.2.3.4"), "mail.example.com").result());
        SpfVerdict fail = spf.checkHelo(FakeDns.address("1.2.3.5"), "mail.example.com.");
        assertEquals(SpfResult.FAIL, fail.result());
        assertEquals("postmaster@mail.example.com via mail.example.com", fail.explanation());
        assertEquals(SpfResult.NONE, spf.checkHelo(FakeDns.address("1.2.3.5"), "[1.2.3.5]").result());
    }

    @Test
    void domainNameTruncatedFromTheLeftTo253Characters() {
        String local = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60);
        // %{l}.%{d} is 244 + 1 + 15 = 260 characters: the first label goes
        String expected = "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + ".e.example.com";
        FakeDns dns = FakeDns.of("e.example.com TXT v=spf1 exists:%{l}.%{d} -all\n" + expected + " A 127.0.0.2\n");
        SpfEvaluator spf = new SpfEvaluator(dns, "mx", CLOCK);
        assertEquals(SpfResult.PASS, spf.checkMailFrom(FakeDns.address("1.2.3.4"), "h.example.com",
                local + "@e.example.com").result());
    }
}
