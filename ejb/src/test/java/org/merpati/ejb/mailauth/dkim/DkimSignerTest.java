package org.merpati.ejb.mailauth.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.merpati.ejb.mailauth.DkimResult;

/** Sign, then verify: both algorithms, the h= list, folding, and the tampering each must catch. */
class DkimSignerTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    private final MapKeyLookup keys = new MapKeyLookup()
            .put("rsa._domainkey.example.com", DkimTestKeys.rsaRecord())
            .put("ed._domainkey.example.com", DkimTestKeys.ed25519Record());

    private List<DkimResult> verify(String message) throws Exception {
        return new DkimVerifier(keys, NOW, MessageHeader.DEFAULT_MAX_BYTES)
                .verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private String signedWithBoth(String message) throws Exception {
        SigningKey rsa = DkimTestKeys.rsa("example.com", "rsa");
        SigningKey ed = DkimTestKeys.ed25519("example.com", "ed");
        String signatures;
        java.nio.file.Path file = java.nio.file.Files.createTempFile("dkim", ".eml");
        try {
            java.nio.file.Files.writeString(file, message, StandardCharsets.ISO_8859_1);
            signatures = new DkimSigner().sign(file, List.of(rsa, ed), 1_764_547_200L);
        } finally {
            java.nio.file.Files.delete(file);
        }
        return signatures + message;
    }

    @Test
    void rsaAndEd25519SignaturesVerify() throws Exception {
        List<DkimResult> results = verify(signedWithBoth(DkimTestMessages.SIMPLE));
        assertEquals(2, results.size());
        assertEquals("rsa-sha256", results.get(0).algorithm());
        assertEquals("ed25519-sha256", results.get(1).algorithm());
        for (DkimResult r : results) {
            assertEquals("pass", r.result(), r.reason());
            assertEquals("example.com", r.domain());
            assertEquals("@example.com", r.identity());
        }
    }

    @Test
    void signatureFieldsAreFoldedUnder78ColumnsAndListPresentFieldsWithFromOversigned() throws Exception {
        String signed = signedWithBoth(DkimTestMessages.SIMPLE);
        String fields = signed.substring(0, signed.indexOf("From: Alice"));
        for (String line : fields.split("\r\n")) {
            assertTrue(line.length() <= 78, line);
        }
        MessageHeader header = MessageHeader.parse(signed.substring(0, signed.indexOf("\r\n\r\n") + 4));
        DkimSignature signature = DkimSignature.parse(header.all("DKIM-Signature").get(0));
        assertEquals(List.of("From", "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"),
                signature.signedHeaders());
        assertEquals(1_764_547_200L, signature.timestamp());
        assertEquals(-1, signature.bodyLength(), "l= is never produced");
        assertEquals(Canonicalization.RELAXED, signature.headerCanon());
        assertEquals(Canonicalization.RELAXED, signature.bodyCanon());
    }

    @Test
    void tamperingIsCaught() throws Exception {
        String signed = signedWithBoth(DkimTestMessages.SIMPLE);
        record Case(String name, String message, String reason) {
        }
        List<Case> cases = List.of(
                new Case("body changed", signed.replace("Noon", "Midnight"), "body hash did not verify"),
                new Case("body extended", signed + "P.S. send money\r\n", "body hash did not verify"),
                new Case("subject changed", signed.replace("Subject: Lunch", "Subject: Dinner"), "signature did not verify"),
                new Case("From added", signed.replace("From: Alice", "From: Mallory <m@evil.example>\r\nFrom: Alice"),
                        "signature did not verify"),
                new Case("signature tag changed", signed.replace("c=relaxed/relaxed", "c=relaxed/simple"), null));
        for (Case c : cases) {
            for (DkimResult r : verify(c.message())) {
                assertEquals("fail", r.result(), c.name());
                if (c.reason() != null) {
                    assertEquals(c.reason(), r.reason(), c.name());
                }
            }
        }
        // what relaxed canonicalization forgives: trailing blank lines, whitespace changes, unsigned fields added
        String forgiven = signed.replace("Noon at the", "Noon  at\tthe") + "\r\n\r\n";
        forgiven = forgiven.replace("From: Alice", "X-Added: later\r\nFrom: Alice");
        for (DkimResult r : verify(forgiven)) {
            assertEquals("pass", r.result(), r.reason());
        }
    }

    @Test
    void bodyLengthLimitIsHonouredOnVerify() throws Exception {
        String message = DkimTestMessages.SIMPLE;
        String body = message.substring(message.indexOf("\r\n\r\n") + 4);
        String header = message.substring(0, message.indexOf("\r\n\r\n") + 2);
        int limit = 12;
        BodyHash hash = new BodyHash(Canonicalization.RELAXED, limit);
        hash.update(body.getBytes(StandardCharsets.ISO_8859_1), 0, body.length());
        String unsigned = "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.com; s=ed;\r\n"
                + " l=" + limit + "; h=from:subject; bh=" + Base64.getEncoder().encodeToString(hash.finish()) + "; b=";
        MessageHeader parsedHeader = MessageHeader.parse(header + "\r\n");
        byte[] data = SignedHeaderData.build(parsedHeader, List.of("from", "subject"), Canonicalization.RELAXED, unsigned, null);
        String b = Base64.getEncoder().encodeToString(
                Signatures.sign(DkimAlgorithm.ED25519_SHA256, DkimTestKeys.ED25519.getPrivate(), data));
        String signed = unsigned + b + "\r\n" + message;

        assertEquals("pass", verify(signed).get(0).result());
        assertEquals("pass", verify(signed + "Appended after the signed length: l= lets this through.\r\n").get(0).result());
        assertEquals("fail", verify(signed.replace("Noon at", "Nine at")).get(0).result(), "inside the signed length");
        DkimResult tooLong = verify(signed.replace(" l=12;", " l=9999;")).get(0);
        assertEquals("permerror", tooLong.result());
        assertFalse(tooLong.isPass());
    }
}
