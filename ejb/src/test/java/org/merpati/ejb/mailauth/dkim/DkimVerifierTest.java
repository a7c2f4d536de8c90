package org.merpati.ejb.mailauth.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.mailauth.DkimResult;

/** Verification against the RFC vectors, and the ways a signature fails. */
class DkimVerifierTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    private final MapKeyLookup rfcKeys = new MapKeyLookup()
            .put("brisbane._domainkey.football.example.com", RfcVectors.RFC8463_ED25519_RECORD)
            .put("test._domainkey.football.example.com", RfcVectors.RFC8463_RSA_RECORD)
            .put("brisbane._domainkey.example.com", RfcVectors.RFC6376_RECORD);

    private List<DkimResult> verify(KeyLookup keys, String message) throws Exception {
        return new DkimVerifier(keys, NOW, MessageHeader.DEFAULT_MAX_BYTES)
                .verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void rfc8463BothSignaturesPass() throws Exception {
        List<DkimResult> results = verify(rfcKeys, RfcVectors.RFC8463_MESSAGE);
        assertEquals(2, results.size());
        DkimResult ed = results.get(0);
        assertEquals("pass", ed.result(), ed.reason());
        assertEquals("ed25519-sha256", ed.algorithm());
        assertEquals("football.example.com", ed.domain());
        assertEquals("brisbane", ed.selector());
        assertEquals("@football.example.com", ed.identity());
        assertEquals("/gCrinpc", ed.signaturePrefix());
        assertNull(ed.reason());
        DkimResult rsa = results.get(1);
        assertEquals("pass", rsa.result(), rsa.reason());
        assertEquals("rsa-sha256", rsa.algorithm());
        assertEquals("test", rsa.selector());
    }

    @Test
    void rfc8463Ed25519SignatureIsReproducedFromThePublishedPrivateKey() throws Exception {
        // Ed25519 is deterministic: signing the same header data with the RFC's key gives the RFC's b=
        MessageHeader header = MessageHeader.parse(RfcVectors.RFC8463_MESSAGE.substring(0,
                RfcVectors.RFC8463_MESSAGE.indexOf("\r\n\r\n") + 4));
        DkimSignature signature = DkimSignature.parse(header.all("DKIM-Signature").get(0));
        byte[] data = SignedHeaderData.build(header, signature.signedHeaders(), signature.headerCanon(),
                SignedHeaderData.blankSignature(signature.field(), signature.tags()), signature.field());
        byte[] b = Signatures.sign(DkimAlgorithm.ED25519_SHA256, DkimTestKeys.rfc8463Ed25519().privateKey(), data);
        assertEquals("/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11BusFa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==",
                Base64.getEncoder().encodeToString(b));
    }

    @Test
    void rfc6376AppendixAVerifies() throws Exception {
        // the message exactly as printed in A.2 (continuation lines indented six spaces), the key of A.3
        MessageHeader header = MessageHeader.read(new ByteArrayInputStream(
                RfcVectors.RFC6376_MESSAGE.getBytes(StandardCharsets.ISO_8859_1)), 1 << 20);
        DkimSignature signature = DkimSignature.parse(header.all("DKIM-Signature").get(0));
        assertEquals("example.com", signature.domain());
        assertEquals("joe@football.example.com", signature.identity());
        assertEquals(Canonicalization.SIMPLE, signature.headerCanon());
        assertEquals(List.of("Received", "From", "To", "Subject", "Date", "Message-ID"), signature.signedHeaders());
        String body = RfcVectors.RFC6376_MESSAGE.substring(RfcVectors.RFC6376_MESSAGE.indexOf("\r\n\r\n") + 4);
        BodyHash hash = new BodyHash(Canonicalization.SIMPLE, -1);
        hash.update(body.getBytes(StandardCharsets.ISO_8859_1), 0, body.length());
        assertEquals("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=", Base64.getEncoder().encodeToString(hash.finish()));
        DkimResult result = verify(rfcKeys, RfcVectors.RFC6376_MESSAGE).get(0);
        assertEquals("pass", result.result(), result.reason());
        assertEquals("AuUoFEfD", result.signaturePrefix());
        // simple header canonicalization: refolding a signed field breaks it
        DkimResult refolded = verify(rfcKeys, RfcVectors.RFC6376_MESSAGE.replace("Subject: Is dinner ready?",
                "Subject: Is dinner\r\n ready?")).get(0);
        assertEquals("fail", refolded.result());
    }

    @Test
    void rfc8463BodyChangedFailsBothOnTheBodyHash() throws Exception {
        List<DkimResult> results = verify(rfcKeys, RfcVectors.RFC8463_MESSAGE.replace("hungry", "thirsty"));
        for (DkimResult r : results) {
            assertEquals("fail", r.result());
            assertEquals("body hash did not verify", r.reason());
        }
    }

    @Test
    void rfc8463SubjectChangedFailsOnTheSignature() throws Exception {
        List<DkimResult> results = verify(rfcKeys, RfcVectors.RFC8463_MESSAGE.replace("Is dinner ready?", "Is lunch ready?"));
        for (DkimResult r : results) {
            assertEquals("fail", r.result());
            assertEquals("signature did not verify", r.reason());
        }
    }

    @Test
    void relaxedCanonicalizationSurvivesRefoldingAndCaseChanges() throws Exception {
        String refolded = RfcVectors.RFC8463_MESSAGE.replace("Subject: Is dinner ready?", "SUBJECT:   Is dinner\r\n\tready?  ")
                .replace("We lost the game.  Are", "We lost the game. Are");
        for (DkimResult r : verify(rfcKeys, refolded)) {
            assertEquals("pass", r.result(), r.reason());
        }
    }

    @Test
    void anAddedFromFieldBreaksTheOversignedSignature() throws Exception {
        // h= names from twice with one From present: a second From added on top is now signed and differs
        String message = "From: Mallory <m@evil.example>\r\n" + RfcVectors.RFC8463_MESSAGE;
        for (DkimResult r : verify(rfcKeys, message)) {
            assertEquals("fail", r.result());
        }
    }

    @Test
    void keyProblemsAreReportedAsTheRfcSays() throws Exception {
        record Case(String record, String result, String reasonStart) {
        }
        List<Case> cases = List.of(
                new Case(null, "temperror", "key lookup failed"),
                new Case("v=DKIM1; k=ed25519; p=", "permerror", "key revoked"),
                new Case("v=DKIM1; k=rsa; p=" + RfcVectors.RFC8463_ED25519_RECORD.substring(27), "permerror", "key type rsa"),
                new Case("v=DKIM2; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "permerror", "key record version"),
                new Case("k=ed25519; v=DKIM1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "permerror", "key record version"),
                new Case("v=DKIM1; k=ed25519; h=sha1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "permerror", "key record does not allow"),
                new Case("v=DKIM1; k=ed25519; s=tlsrpt; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "permerror", "key is not for email"),
                new Case("v=DKIM1; k=ed25519; p=AAAA", "permerror", "key record p="),
                new Case("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=; t=y:s", "pass", null),
                new Case("v=DKIM1 k=ed25519", "permerror", "key record"));
        for (Case c : cases) {
            MapKeyLookup keys = new MapKeyLookup().put("brisbane._domainkey.football.example.com", c.record());
            DkimResult r = verify(keys, RfcVectors.RFC8463_MESSAGE).get(0);
            assertEquals(c.result(), r.result(), c + " → " + r);
            if (c.reasonStart() != null) {
                assertTrue(r.reason().startsWith(c.reasonStart()), c + " → " + r.reason());
            }
        }
        DkimResult missing = verify(new MapKeyLookup(), RfcVectors.RFC8463_MESSAGE).get(1);
        assertEquals("permerror", missing.result());
        assertTrue(missing.reason().startsWith("no key record"));
    }

    @Test
    void rsaKeysShorterThan1024BitsArePermerrors() throws Exception {
        SigningKey weak = new SigningKey("weak.example", "s", DkimAlgorithm.RSA_SHA256, DkimTestKeys.RSA_512.getPrivate());
        String message = sign(weak, DkimTestMessages.SIMPLE);
        MapKeyLookup keys = new MapKeyLookup().put("s._domainkey.weak.example",
                "v=DKIM1; p=" + DkimKeys.publishedValue(DkimTestKeys.RSA_512.getPublic()));
        DkimResult r = verify(keys, message).get(0);
        assertEquals("permerror", r.result());
        assertTrue(r.reason().contains("512 bits"), r.reason());
    }

    @Test
    void signatureSyntaxProblemsArePermerrors() throws Exception {
        record Case(String signature, String reasonStart) {
        }
        List<Case> cases = List.of(
                new Case("v=2; a=rsa-sha256; d=x.example; s=s; h=from; bh=AA==; b=AA==", "incompatible version"),
                new Case("v=1; a=rsa-sha1; d=x.example; s=s; h=from; bh=AA==; b=AA==", "unsupported algorithm"),
                new Case("v=1; a=rsa-sha256; d=x.example; s=s; h=subject; bh=AA==; b=AA==", "From is not signed"),
                new Case("v=1; a=rsa-sha256; d=x.example; s=s; h=from; b=AA==", "signature missing required tag bh="),
                new Case("v=1; a=rsa-sha256; d=x.example; s=s; h=from; bh=AA==; b=AA==; i=joe@other.example", "i= is not in d="),
                new Case("v=1; a=rsa-sha256; d=x.example; s=s; h=from; bh=AA==; b=AA==; d=y.example", "signature syntax"),
                new Case("v=1; a=rsa-sha256; d=x.example; s=s; h=from; bh=AA==; b=AA==; c=fancy", "unknown canonicalization"),
                new Case("v=1; a=rsa-sha256; d=x.example; s=s; h=from; bh=AA==; b=AA==; t=20; x=10", "x= is before t="),
                new Case("v=1; a=rsa-sha256; d=x.example; s=s; h=from; bh=AA==; b=AA==; l=ten", "l= is not a number"));
        for (Case c : cases) {
            DkimResult r = verify(new MapKeyLookup(), "DKIM-Signature: " + c.signature() + "\r\n" + DkimTestMessages.SIMPLE).get(0);
            assertEquals("permerror", r.result(), c.signature());
            assertTrue(r.reason().startsWith(c.reasonStart()), c + " → " + r.reason());
        }
    }

    @Test
    void expiredSignatureFails() throws Exception {
        String message = RfcVectors.RFC8463_MESSAGE.replace("t=1528637909;", "t=1528637909; x=1528637999;");
        DkimResult r = verify(rfcKeys, message).get(0);
        assertEquals("fail", r.result());
        assertEquals("signature expired", r.reason());
    }

    @Test
    void aMessageWithoutSignaturesHasNoResults() throws Exception {
        assertEquals(List.of(), verify(rfcKeys, DkimTestMessages.SIMPLE));
    }

    @Test
    void anOversizedHeaderBlockIsAPermerror(@TempDir Path temp) throws Exception {
        String big = "X-Filler: " + "a".repeat(2000) + "\r\n";
        Path file = temp.resolve("m.eml");
        Files.writeString(file, RfcVectors.RFC8463_MESSAGE.replace("From: Joe", big.repeat(10) + "From: Joe"),
                StandardCharsets.ISO_8859_1);
        List<DkimResult> results = new DkimVerifier(rfcKeys, NOW, 8 * 1024).verify(file);
        assertEquals(1, results.size());
        assertEquals("permerror", results.get(0).result());
        assertEquals(2, new DkimVerifier(rfcKeys, NOW, 64 * 1024).verify(file).size());
    }

    static String sign(SigningKey key, String message) throws Exception {
        Path file = Files.createTempFile("dkim", ".eml");
        try {
            Files.writeString(file, message, StandardCharsets.ISO_8859_1);
            return new DkimSigner().sign(file, List.of(key), 1_700_000_000L) + message;
        } finally {
            Files.delete(file);
        }
    }
}
