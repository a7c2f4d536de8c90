package org.merpati.ejb.outbound.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.dns.DnsTemporaryException;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

class MtaStsPoliciesTest {

    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 3600\n";

    @TempDir
    Path dir;

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** TXT answers the test changes as it goes; null means a temporary DNS failure. */
    private List<String> txt = List.of("v=STSv1; id=one");
    private final AtomicInteger fetches = new AtomicInteger();
    private String served = POLICY;
    private final MutableClock clock = new MutableClock();

    private MtaStsPolicies policies() {
        return new MtaStsPolicies(name -> {
            if (txt == null) {
                throw new DnsTemporaryException("SERVFAIL");
            }
            assertEquals("_mta-sts.example.test", name);
            return txt;
        }, domain -> {
            fetches.incrementAndGet();
            if (served == null) {
                throw new IOException("unreachable");
            }
            return Optional.of(served);
        }, clock);
    }

    @Test
    void cachedByIdUntilMaxAge() {
        MtaStsPolicies policies = policies();
        assertEquals(List.of("mx.example.test"), policies.policyFor("Example.TEST").orElseThrow().mx());
        policies.policyFor("example.test");
        assertEquals(1, fetches.get(), "same id: cached");

        txt = List.of("v=STSv1; id=two");
        served = POLICY.replace("mx.example.test", "mx2.example.test");
        assertEquals(List.of("mx2.example.test"), policies.policyFor("example.test").orElseThrow().mx());
        assertEquals(2, fetches.get(), "new id: fetched again");

        clock.now = clock.now.plusSeconds(3601);
        policies.policyFor("example.test");
        assertEquals(3, fetches.get(), "expired: fetched again");
    }

    @Test
    void cachedPolicyOutlivesTheTxtRecordAndDnsFailures() {
        MtaStsPolicies policies = policies();
        policies.policyFor("example.test").orElseThrow();
        txt = List.of();
        assertTrue(policies.policyFor("example.test").isPresent(), "RFC 8461 5.1: in force until max_age");
        txt = null;
        assertTrue(policies.policyFor("example.test").isPresent());
        clock.now = clock.now.plusSeconds(3601);
        txt = List.of();
        assertTrue(policies.policyFor("example.test").isEmpty());
    }

    @Test
    void fetchFailureKeepsTheCachedPolicyOrNone() {
        MtaStsPolicies policies = policies();
        served = null;
        assertTrue(policies.policyFor("example.test").isEmpty(), "no cached policy: fail open");
        served = POLICY;
        policies.policyFor("example.test").orElseThrow();
        txt = List.of("v=STSv1; id=newer");
        served = null;
        assertEquals(MtaStsPolicy.Mode.ENFORCE, policies.policyFor("example.test").orElseThrow().mode());
        served = "garbage";
        assertEquals(MtaStsPolicy.Mode.ENFORCE, policies.policyFor("example.test").orElseThrow().mode());
    }

    @Test
    void modeNoneMeansNoPolicy() {
        served = "version: STSv1\nmode: none\nmax_age: 60\n";
        assertTrue(policies().policyFor("example.test").isEmpty());
    }

    @Test
    void noTxtRecordNoFetch() {
        txt = List.of("v=spf1 -all");
        assertTrue(policies().policyFor("example.test").isEmpty());
        assertEquals(0, fetches.get());
    }

    @Test
    void httpsFetcherFollowsRfc8461Rules() throws Exception {
        TestCertificates.Pair cert = TestCertificates.create(dir, "mta-sts.example.test", "ip:127.0.0.1");
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext()));
        List<String> paths = new ArrayList<>();
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            paths.add(path);
            byte[] body = POLICY.getBytes(StandardCharsets.US_ASCII);
            switch (path) {
                case "/ok/.well-known/mta-sts.txt" -> exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
                case "/html/.well-known/mta-sts.txt" -> exchange.getResponseHeaders().add("Content-Type", "text/html");
                case "/redirect/.well-known/mta-sts.txt" -> {
                    exchange.getResponseHeaders().add("Location", "/ok/.well-known/mta-sts.txt");
                    exchange.sendResponseHeaders(302, -1);
                    exchange.close();
                    return;
                }
                default -> {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                    return;
                }
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            String base = "https://127.0.0.1:" + server.getAddress().getPort() + "/";
            SSLContext trusting = TlsContexts.verified(cert.trustStore(), TestCertificates.PASSWORD);
            MtaStsPolicies.Fetcher fetcher = MtaStsPolicies.httpsFetcher(trusting, Duration.ofSeconds(5),
                    domain -> URI.create(base + domain + "/.well-known/mta-sts.txt"));
            assertEquals(Optional.of(POLICY), fetcher.fetch("ok"));
            assertEquals(Optional.empty(), fetcher.fetch("html"), "not text/plain");
            assertEquals(Optional.empty(), fetcher.fetch("redirect"), "redirects are not followed");
            assertEquals(Optional.empty(), fetcher.fetch("missing"));

            MtaStsPolicies.Fetcher untrusting = MtaStsPolicies.httpsFetcher(TlsContexts.verified(null, null),
                    Duration.ofSeconds(5), domain -> URI.create(base + domain + "/.well-known/mta-sts.txt"));
            assertThrows(IOException.class, () -> untrusting.fetch("ok"), "certificate must be valid");
        } finally {
            server.stop(0);
        }
        assertEquals("https://mta-sts.example.org/.well-known/mta-sts.txt",
                MtaStsPolicies.defaultPolicyUri("example.org").toString());
    }
}
