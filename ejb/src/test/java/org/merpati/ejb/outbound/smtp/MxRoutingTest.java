package org.merpati.ejb.outbound.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.dns.TestUnbound;
import org.merpati.connector.api.Recipient;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.outbound.OutboundAttempt;
import org.merpati.ejb.outbound.RecipientOutcome;
import org.merpati.ejb.outbound.RecipientOutcome.Status;

/**
 * MX routing against a real unbound on loopback: the zones send each domain's MX hosts to different loopback
 * addresses (127.0.0.2, .3, ...) where scripted servers listen on one port, the outbound port of the test.
 */
class MxRoutingTest {

    private static final Duration T = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    private static TestUnbound unbound;
    private static int smtpPort;

    private final List<FakeSmtpServer> servers = new ArrayList<>();

    @BeforeAll
    static void startDns() throws Exception {
        Assumptions.assumeTrue(TestUnbound.available(), "unbound is not installed");
        unbound = new TestUnbound(dir, List.of(
                "order.test. IN MX 10 mx1.order.test.",
                "order.test. IN MX 20 mx2.order.test.",
                "mx1.order.test. IN A 127.0.0.2",
                "mx2.order.test. IN A 127.0.0.3",
                "refused.test. IN MX 10 dead.refused.test.",
                "refused.test. IN MX 20 mx2.order.test.",
                "dead.refused.test. IN A 127.0.0.9",
                "nullmx.test. IN MX 0 .",
                "implicit.test. IN A 127.0.0.4",
                "noaddr.test. IN TXT \"v=spf1 -all\"",
                "dangling.test. IN MX 10 nohost.dangling.test.",
                "tls.test. IN MX 10 mx.tls.test.",
                "mx.tls.test. IN A 127.0.0.5",
                "sts.test. IN MX 10 mx.sts.test.",
                "mx.sts.test. IN A 127.0.0.6",
                "_mta-sts.sts.test. IN TXT \"v=STSv1; id=20261201\""));
        smtpPort = TestUnbound.freePort();
    }

    @AfterAll
    static void stopDns() {
        if (unbound != null) {
            unbound.close();
        }
    }

    @AfterEach
    void stopServers() throws Exception {
        for (FakeSmtpServer server : servers) {
            server.close();
        }
    }

    private FakeSmtpServer serverAt(String address) throws Exception {
        FakeSmtpServer server = new FakeSmtpServer(InetAddress.getByName(address), smtpPort);
        servers.add(server);
        return server;
    }

    private static SmtpClientSettings settings() {
        return SmtpClientSettings.defaults("client.test", smtpPort).withTimeouts(T, T, T, T);
    }

    private static List<RecipientOutcome> deliver(SmtpClientSettings settings, MtaStsPolicies.Fetcher fetcher,
                                                  String domain, String... locals) throws Exception {
        return deliver(settings, unbound.client(Duration.ofSeconds(2)), fetcher, domain, locals);
    }

    private static List<RecipientOutcome> deliver(SmtpClientSettings settings, DnsClient dns, MtaStsPolicies.Fetcher fetcher,
                                                  String domain, String... locals) throws Exception {
        Path message = Files.createTempFile(dir, "msg", ".eml");
        Files.writeString(message, "Subject: routing\r\n\r\nbody\r\n", StandardCharsets.US_ASCII);
        List<Recipient> recipients = new ArrayList<>();
        for (String local : locals) {
            recipients.add(new Recipient(local + "@" + domain, null, null));
        }
        OutboundAttempt attempt = new OutboundAttempt(domain, "alice@local.test", recipients, message, Files.size(message),
                "7BIT", false, null, null);
        return new SmtpRemoteDelivery(settings, dns, fetcher, new Random(7)).deliver(attempt);
    }

    private static final MtaStsPolicies.Fetcher NO_POLICY = domain -> Optional.empty();

    private static void assertAll(List<RecipientOutcome> outcomes, Status status, String enhanced) {
        for (RecipientOutcome outcome : outcomes) {
            assertEquals(status, outcome.status(), outcome.toString());
            assertEquals(enhanced, outcome.enhancedStatus(), outcome.toString());
        }
    }

    @Test
    void greeting421SendsToTheNextMx() throws Exception {
        FakeSmtpServer mx1 = serverAt("127.0.0.2");
        mx1.greeting = "421 4.3.2 mx1 is shutting down";
        FakeSmtpServer mx2 = serverAt("127.0.0.3");
        List<RecipientOutcome> outcomes = deliver(settings(), NO_POLICY, "order.test", "a", "b");
        assertAll(outcomes, Status.DELIVERED, "2.0.0");
        assertEquals("mx2.order.test [127.0.0.3]", outcomes.get(0).remoteMta());
        assertEquals(1, mx1.connections);
        assertEquals(List.of(List.of("a@order.test", "b@order.test")), mx2.recipientsPerMessage());
    }

    @Test
    void preferredMxTakesTheMail() throws Exception {
        FakeSmtpServer mx1 = serverAt("127.0.0.2");
        FakeSmtpServer mx2 = serverAt("127.0.0.3");
        assertAll(deliver(settings(), NO_POLICY, "order.test", "a"), Status.DELIVERED, "2.0.0");
        assertEquals(1, mx1.messages.size());
        assertEquals(0, mx2.connections);
    }

    @Test
    void mailRefusedWith4xxTriesTheNextMx() throws Exception {
        serverAt("127.0.0.2").mailReply = "451 4.7.1 greylisted";
        FakeSmtpServer mx2 = serverAt("127.0.0.3");
        assertAll(deliver(settings(), NO_POLICY, "order.test", "a"), Status.DELIVERED, "2.0.0");
        assertEquals(1, mx2.messages.size());
    }

    @Test
    void allMxHostsDownIsTemporaryWithTheLastReason() throws Exception {
        serverAt("127.0.0.2").greeting = "421 4.3.2 busy";
        serverAt("127.0.0.3").greeting = "421 4.3.2 busy too";
        List<RecipientOutcome> outcomes = deliver(settings(), NO_POLICY, "order.test", "a");
        assertAll(outcomes, Status.TEMPORARY, "4.3.2");
        assertEquals("421 4.3.2 busy too", outcomes.get(0).diagnostic());
    }

    @Test
    void connectionRefusedTriesTheNextMx() throws Exception {
        FakeSmtpServer mx2 = serverAt("127.0.0.3");
        assertAll(deliver(settings(), NO_POLICY, "refused.test", "a"), Status.DELIVERED, "2.0.0");
        assertEquals(1, mx2.messages.size());
    }

    @Test
    void nullMxIsPermanent() throws Exception {
        List<RecipientOutcome> outcomes = deliver(settings(), NO_POLICY, "nullmx.test", "a", "b");
        assertAll(outcomes, Status.PERMANENT, "5.1.10");
        assertEquals(null, outcomes.get(0).remoteMta());
    }

    @Test
    void nxdomainIsPermanent() throws Exception {
        assertAll(deliver(settings(), NO_POLICY, "missing.test", "a"), Status.PERMANENT, "5.1.2");
    }

    @Test
    void noMxFallsBackToTheAddressRecord() throws Exception {
        FakeSmtpServer implicit = serverAt("127.0.0.4");
        List<RecipientOutcome> outcomes = deliver(settings(), NO_POLICY, "implicit.test", "a");
        assertAll(outcomes, Status.DELIVERED, "2.0.0");
        assertEquals("implicit.test [127.0.0.4]", outcomes.get(0).remoteMta());
        assertEquals(1, implicit.messages.size());
    }

    @Test
    void noMxAndNoAddressIsPermanent() throws Exception {
        assertAll(deliver(settings(), NO_POLICY, "noaddr.test", "a"), Status.PERMANENT, "5.4.4");
    }

    @Test
    void mxWithoutAddressIsTemporary() throws Exception {
        assertAll(deliver(settings(), NO_POLICY, "dangling.test", "a"), Status.TEMPORARY, "4.4.4");
    }

    @Test
    void dnsTimeoutIsTemporary() throws Exception {
        DnsClient silent = new DnsClient(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                TestUnbound.freePort())), Duration.ofMillis(300));
        assertAll(deliver(settings(), silent, NO_POLICY, "order.test", "a"), Status.TEMPORARY, "4.4.3");
    }

    @Test
    void opportunisticStartTlsAcceptsASelfSignedCertificate() throws Exception {
        FakeSmtpServer mx = serverAt("127.0.0.5");
        mx.tls = TestCertificates.create(dir, "mx.tls.test", "dns:mx.tls.test").serverContext();
        assertAll(deliver(settings(), NO_POLICY, "tls.test", "a"), Status.DELIVERED, "2.0.0");
        assertTrue(mx.messages.get(0).tls());
    }

    @Test
    void failedOpportunisticHandshakeIsRetriedInPlainText() throws Exception {
        FakeSmtpServer mx = serverAt("127.0.0.5");
        mx.tls = TestCertificates.create(dir, "mx.tls.test", "dns:mx.tls.test").serverContext();
        mx.breakTlsHandshake = true;
        assertAll(deliver(settings(), NO_POLICY, "tls.test", "a"), Status.DELIVERED, "2.0.0");
        assertEquals(2, mx.connections);
        assertFalse(mx.messages.get(0).tls());
    }

    private static MtaStsPolicies.Fetcher policy(String mode, String mx, AtomicInteger fetches) {
        return domain -> {
            fetches.incrementAndGet();
            return domain.equals("sts.test")
                    ? Optional.of("version: STSv1\r\nmode: " + mode + "\r\nmx: " + mx + "\r\nmax_age: 86400\r\n")
                    : Optional.empty();
        };
    }

    @Test
    void mtaStsEnforceWithValidCertificateDelivers() throws Exception {
        FakeSmtpServer mx = serverAt("127.0.0.6");
        TestCertificates.Pair cert = TestCertificates.create(dir, "mx.sts.test", "dns:mx.sts.test");
        mx.tls = cert.serverContext();
        AtomicInteger fetches = new AtomicInteger();
        SmtpRemoteDelivery delivery = new SmtpRemoteDelivery(settings().withTrustStore(cert.trustStore(), TestCertificates.PASSWORD),
                unbound.client(Duration.ofSeconds(2)), policy("enforce", "*.sts.test", fetches), new Random(1));
        for (int i = 0; i < 2; i++) {
            Path message = Files.createTempFile(dir, "msg", ".eml");
            Files.writeString(message, "Subject: sts\r\n\r\nbody\r\n");
            List<RecipientOutcome> outcomes = delivery.deliver(new OutboundAttempt("sts.test", "alice@local.test",
                    List.of(new Recipient("a@sts.test", null, null)), message, Files.size(message), "7BIT", false, null, null));
            assertAll(outcomes, Status.DELIVERED, "2.0.0");
        }
        assertTrue(mx.messages.stream().allMatch(FakeSmtpServer.Received::tls));
        assertEquals(1, fetches.get(), "the policy is cached by id");
    }

    @Test
    void mtaStsEnforceRefusesAnMxOutsideThePolicy() throws Exception {
        FakeSmtpServer mx = serverAt("127.0.0.6");
        List<RecipientOutcome> outcomes = deliver(settings(), policy("enforce", "mail.elsewhere.test", new AtomicInteger()),
                "sts.test", "a");
        assertAll(outcomes, Status.TEMPORARY, "4.7.5");
        assertEquals(0, mx.connections);
    }

    @Test
    void mtaStsEnforceRefusesAnUntrustedCertificate() throws Exception {
        FakeSmtpServer mx = serverAt("127.0.0.6");
        mx.tls = TestCertificates.create(dir, "mx.sts.test", "dns:mx.sts.test").serverContext();
        List<RecipientOutcome> outcomes = deliver(settings(), policy("enforce", "mx.sts.test", new AtomicInteger()), "sts.test", "a");
        assertAll(outcomes, Status.TEMPORARY, "4.7.5");
        assertTrue(mx.messages.isEmpty());
    }

    @Test
    void mtaStsEnforceRefusesPlainText() throws Exception {
        FakeSmtpServer mx = serverAt("127.0.0.6");
        List<RecipientOutcome> outcomes = deliver(settings(), policy("enforce", "mx.sts.test", new AtomicInteger()), "sts.test", "a");
        assertAll(outcomes, Status.TEMPORARY, "4.7.5");
        assertTrue(mx.messages.isEmpty());
    }

    @Test
    void mtaStsTestingDeliversAnyway() throws Exception {
        FakeSmtpServer mx = serverAt("127.0.0.6");
        mx.tls = TestCertificates.create(dir, "mx.sts.test", "dns:mx.sts.test").serverContext();
        List<RecipientOutcome> outcomes = deliver(settings(), policy("testing", "mail.elsewhere.test", new AtomicInteger()),
                "sts.test", "a");
        assertAll(outcomes, Status.DELIVERED, "2.0.0");
        assertTrue(mx.messages.get(0).tls());
    }

    @Test
    void unfetchablePolicyFailsOpen() throws Exception {
        FakeSmtpServer mx = serverAt("127.0.0.6");
        MtaStsPolicies.Fetcher broken = domain -> {
            throw new java.io.IOException("connection refused");
        };
        assertAll(deliver(settings(), broken, "sts.test", "a"), Status.DELIVERED, "2.0.0");
        assertFalse(mx.messages.isEmpty());
    }
}
