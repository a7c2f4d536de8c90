package org.merpati.ejb.mailauth.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.mailauth.DkimArcVerifier;
import org.merpati.ejb.mailauth.FakeDns;
import org.merpati.ejb.mailauth.dkim.DkimAlgorithm;
import org.merpati.ejb.mailauth.dkim.DkimKeys;
import org.merpati.ejb.mailauth.dkim.DkimSigner;
import org.merpati.ejb.mailauth.dkim.SigningKey;

/** The real DKIM/ARC verifier behind inbound authentication: an aligned Ed25519 signature carries DMARC. */
class InboundWithDkimTest {

    @TempDir
    Path dir;

    @Test
    void alignedDkimPassesDmarcWhenSpfFailsAndATamperedBodyIsRejected() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        FakeDns dns = FakeDns.of("""
                sender.example TXT v=spf1 ip4:192.0.2.10 -all
                _dmarc.sender.example TXT v=DMARC1; p=reject
                s1._domainkey.sender.example TXT v=DKIM1; k=ed25519; p=%s
                """.formatted(DkimKeys.publishedValue(keys.getPublic())));
        Path unsigned = dir.resolve("unsigned.eml");
        String message = "From: Alice <alice@sender.example>\r\nTo: bob@merpati.example\r\nSubject: forwarded\r\n"
                + "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <1@sender.example>\r\n\r\nHello Bob\r\n";
        Files.writeString(unsigned, message, StandardCharsets.UTF_8);
        String signature = new DkimSigner().sign(unsigned, List.of(new SigningKey("sender.example", "s1",
                DkimAlgorithm.ED25519_SHA256, keys.getPrivate())), System.currentTimeMillis() / 1000);
        Path signed = Files.writeString(dir.resolve("signed.eml"), signature + message, StandardCharsets.UTF_8);
        Path tampered = Files.writeString(dir.resolve("tampered.eml"),
                signature + message.replace("Hello Bob", "Pay me"), StandardCharsets.UTF_8);

        InboundAuthenticator authenticator = new InboundAuthenticator(
                new MailAuthSettings(true, false, false, Set.of(), "mx.merpati.example"), dns,
                new DkimArcVerifier(dns::txt, Clock.systemUTC()), () -> 0, Clock.systemUTC());
        // relayed by a forwarder outside sender.example's SPF
        InboundVerdict ok = authenticator.authenticate("198.51.100.7", "fwd.example", "alice@sender.example", signed);
        assertEquals(InboundVerdict.Action.ACCEPT, ok.action(), ok.field());
        assertTrue(ok.field().contains("spf=fail"), ok.field());
        assertTrue(ok.field().contains("dkim=pass header.d=sender.example"), ok.field());
        assertTrue(ok.field().contains("header.a=ed25519-sha256"), ok.field());
        assertTrue(ok.field().contains("dmarc=pass"), ok.field());

        InboundVerdict bad = authenticator.authenticate("198.51.100.7", "fwd.example", "alice@sender.example",
                tampered);
        assertEquals(InboundVerdict.Action.REJECT, bad.action(), bad.field());
        assertTrue(bad.field().contains("dkim=fail"), bad.field());
    }
}
