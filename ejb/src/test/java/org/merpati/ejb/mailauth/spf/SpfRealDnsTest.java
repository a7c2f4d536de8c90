package org.merpati.ejb.mailauth.spf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.dns.TestUnbound;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.mailauth.ArcResult;
import org.merpati.ejb.mailauth.dmarc.DmarcEvaluator;
import org.merpati.ejb.mailauth.dmarc.DmarcPolicy;
import org.merpati.ejb.mailauth.dmarc.DmarcResult;

/**
 * SPF and DMARC through the real DNS client against a real unbound on loopback (started here with local-data;
 * skipped when /usr/sbin/unbound is absent): include, a, mx, void lookups, DMARC discovery, and a DNS server
 * that does not answer (temperror, nothing concluded).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpfRealDnsTest {

    private TestUnbound unbound;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(TestUnbound.available(), "unbound is not installed");
        unbound = new TestUnbound(dir, List.of(
                "spf.test. IN TXT \"v=spf1 include:inc.spf.test \" \"mx -all\"",
                "spf.test. IN MX 10 mx1.spf.test.",
                "mx1.spf.test. IN A 192.0.2.20",
                "inc.spf.test. IN TXT \"v=spf1 a:mail.spf.test -all\"",
                "mail.spf.test. IN A 192.0.2.10",
                "void.test. IN TXT \"v=spf1 a:nx1.void.test a:nx2.void.test a:nx3.void.test +all\"",
                "_dmarc.spf.test. IN TXT \"v=DMARC1; p=reject\""));
    }

    @AfterAll
    void stop() {
        if (unbound != null) {
            unbound.close();
        }
    }

    private DnsClient client(Duration timeout) {
        return unbound.client(timeout);
    }

    private SpfVerdict check(DnsClient dns, String ip, String sender) throws Exception {
        return new SpfEvaluator(SpfDns.of(dns), "mx.merpati.test", Clock.systemUTC())
                .checkMailFrom(InetAddress.getByName(ip), "client.example", sender);
    }

    @Test
    void evaluatesRecordsServedByUnbound() throws Exception {
        DnsClient dns = client(Duration.ofSeconds(2));
        assertEquals(SpfResult.PASS, check(dns, "192.0.2.10", "a@spf.test").result(), "include + a");
        assertEquals(SpfResult.PASS, check(dns, "192.0.2.20", "a@spf.test").result(), "mx");
        assertEquals(SpfResult.FAIL, check(dns, "192.0.2.99", "a@spf.test").result());
        assertEquals(SpfResult.PERMERROR, check(dns, "192.0.2.99", "a@void.test").result(), "3 void lookups");
        assertEquals(SpfResult.NONE, check(dns, "192.0.2.99", "a@nothing.test").result(), "NXDOMAIN");
    }

    @Test
    void dmarcDiscoveryThroughUnbound() {
        DnsClient dns = client(Duration.ofSeconds(2));
        var verdict = new DmarcEvaluator(dns::txt, () -> 0, false, Set.of()).evaluate("spf.test",
                new SpfVerdict(SpfResult.FAIL, "a@spf.test", "spf.test", null, null), List.of(), ArcResult.NONE);
        assertEquals(DmarcResult.FAIL, verdict.result());
        assertEquals(DmarcPolicy.REJECT, verdict.disposition());
    }

    @Test
    void silentServerGivesTemperror() throws Exception {
        // a port nothing answers on: the question fails temporarily, SPF concludes nothing
        DnsClient dead = new DnsClient(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), TestUnbound.freePort())),
                Duration.ofMillis(300));
        assertEquals(SpfResult.TEMPERROR, check(dead, "192.0.2.10", "a@spf.test").result());
        var verdict = new DmarcEvaluator(dead::txt, () -> 0, false, Set.of()).evaluate("spf.test",
                new SpfVerdict(SpfResult.TEMPERROR, "a@spf.test", "spf.test", null, null), List.of(), ArcResult.NONE);
        assertEquals(DmarcResult.TEMPERROR, verdict.result());
        assertEquals(DmarcPolicy.NONE, verdict.disposition());
    }
}
