package org.merpati.ejb.mailauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.dns.TestUnbound;
import org.merpati.ejb.api.DnsRecordView;
import org.merpati.ejb.dns.DnsClient;
import org.merpati.ejb.mailauth.arc.ArcSealer;
import org.merpati.ejb.mailauth.arc.ArcVerifier;
import org.merpati.ejb.mailauth.dkim.DkimSigner;
import org.merpati.ejb.mailauth.dkim.DkimTestKeys;
import org.merpati.ejb.mailauth.dkim.DkimTestMessages;
import org.merpati.ejb.mailauth.dkim.MessageHeader;

/**
 * {@link DkimArcVerifier} with keys from a real DNS server (unbound on loopback): an RSA 2048 record published as
 * two TXT strings (as {@link DnsRecordView#strings()} splits it), an Ed25519 record, a revoked key, a missing key,
 * a server that never answers, and an ARC chain. Skipped when unbound is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DkimArcVerifierDnsTest {

    private TestUnbound unbound;
    private DnsClient dns;

    @BeforeAll
    void startUnbound(@TempDir Path dir) throws Exception {
        assumeTrue(TestUnbound.available(), "unbound is not installed");
        DnsRecordView rsa = new DnsRecordView("rsa._domainkey.example.test", "TXT", DkimTestKeys.rsaRecord(), "dkim");
        assertTrue(rsa.strings().size() > 1);
        unbound = new TestUnbound(dir, List.of(
                TestUnbound.txt(rsa.name(), rsa.strings()),
                TestUnbound.txt("ed._domainkey.example.test", List.of(DkimTestKeys.ed25519Record())),
                TestUnbound.txt("gone._domainkey.example.test", List.of("v=DKIM1; k=ed25519; p=")),
                TestUnbound.txt("arc._domainkey.hop1.test", List.of(DkimTestKeys.rsaRecord().substring(0, 200),
                        DkimTestKeys.rsaRecord().substring(200)))));
        dns = unbound.client(Duration.ofSeconds(2));
    }

    @AfterAll
    void stopUnbound() {
        if (unbound != null) {
            unbound.close();
        }
    }

    private Path signed(Path dir, String... selectors) throws Exception {
        Path message = dir.resolve("in.eml");
        Files.writeString(message, DkimTestMessages.SIMPLE, StandardCharsets.US_ASCII);
        StringBuilder fields = new StringBuilder();
        for (String selector : selectors) {
            fields.append(new DkimSigner().sign(message, List.of(selector.equals("rsa") ? DkimTestKeys.rsa("example.test", selector)
                    : DkimTestKeys.ed25519("example.test", selector)), 1_764_547_200L));
        }
        return Files.writeString(dir.resolve("signed.eml"), fields + DkimTestMessages.SIMPLE, StandardCharsets.US_ASCII);
    }

    @Test
    void signaturesVerifyWithKeysFromDns(@TempDir Path dir) throws Exception {
        List<DkimResult> results = new DkimArcVerifier(dns).verifyDkim(signed(dir, "rsa", "ed", "gone", "missing"));
        assertEquals(List.of("pass", "pass", "permerror", "permerror"), results.stream().map(DkimResult::result).toList(),
                results.toString());
        assertEquals("key revoked", results.get(2).reason());
        assertTrue(results.get(3).reason().startsWith("no key record"));
    }

    @Test
    void aDnsServerThatNeverAnswersGivesTemperror(@TempDir Path dir) throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            DnsClient deaf = new DnsClient(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort())),
                    Duration.ofMillis(300));
            List<DkimResult> results = new DkimArcVerifier(deaf).verifyDkim(signed(dir, "ed"));
            assertEquals("temperror", results.get(0).result(), results.toString());
        }
    }

    @Test
    void anArcChainVerifiesWithSealKeysFromDns(@TempDir Path dir) throws Exception {
        Path message = Files.writeString(dir.resolve("m.eml"), DkimTestMessages.SIMPLE, StandardCharsets.US_ASCII);
        ArcVerifier verifier = new ArcVerifier(dns::txt, Clock.systemUTC(), MessageHeader.DEFAULT_MAX_BYTES);
        String set = new ArcSealer(verifier, new DkimSigner()).seal(message, DkimTestKeys.rsa("hop1.test", "arc"),
                "hop1.test; spf=pass smtp.mailfrom=example.com", 1_764_547_200L);
        Path sealed = Files.writeString(dir.resolve("sealed.eml"), set + DkimTestMessages.SIMPLE, StandardCharsets.US_ASCII);
        ArcResult result = new DkimArcVerifier(dns).verifyArc(sealed);
        assertEquals(new ArcResult("pass", 1, "hop1.test", null), result);
    }
}
