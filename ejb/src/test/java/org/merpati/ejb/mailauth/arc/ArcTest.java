package org.merpati.ejb.mailauth.arc;

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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.ejb.mailauth.ArcResult;
import org.merpati.ejb.mailauth.dkim.DkimSigner;
import org.merpati.ejb.mailauth.dkim.DkimTestKeys;
import org.merpati.ejb.mailauth.dkim.DkimTestMessages;
import org.merpati.ejb.mailauth.dkim.MapKeyLookup;
import org.merpati.ejb.mailauth.dkim.MessageHeader;
import org.merpati.ejb.mailauth.dkim.SigningKey;

/** ARC sealing and validation: two hops that pass, and each way a chain breaks. */
class ArcTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    private final MapKeyLookup keys = new MapKeyLookup()
            .put("arc._domainkey.hop1.example", DkimTestKeys.rsaRecord())
            .put("arc._domainkey.hop2.example", DkimTestKeys.rsaRecord())
            .put("ed._domainkey.hop3.example", DkimTestKeys.ed25519Record());
    private final ArcVerifier verifier = new ArcVerifier(keys, NOW, MessageHeader.DEFAULT_MAX_BYTES);
    private final ArcSealer sealer = new ArcSealer(verifier, new DkimSigner());

    @TempDir
    Path temp;

    String seal(String message, SigningKey key, String results) throws Exception {
        Path file = Files.createTempFile(temp, "m", ".eml");
        Files.writeString(file, message, StandardCharsets.ISO_8859_1);
        return sealer.seal(file, key, results, NOW.instant().getEpochSecond()) + message;
    }

    ArcResult verify(String message) throws Exception {
        return verifier.verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    String twoHops() throws Exception {
        String hop1 = seal(DkimTestMessages.SIMPLE, DkimTestKeys.rsa("hop1.example", "arc"),
                "hop1.example; spf=pass smtp.mailfrom=example.com");
        String relayed = "Received: from hop1.example by hop2.example; Tue, 1 Dec 2026 09:01:00 +0000\r\n" + hop1;
        // RFC 8617 names rsa-sha256 only, and others (dkimpy) verify nothing else: both hops seal with RSA
        return seal(relayed, DkimTestKeys.rsa("hop2.example", "arc"), "hop2.example; arc=pass");
    }

    @Test
    void aMessageWithoutArcFieldsHasResultNone() throws Exception {
        assertEquals(ArcResult.NONE, verify(DkimTestMessages.SIMPLE));
    }

    @Test
    void firstHopSealsWithCvNoneAndTheSetIsWellFormed() throws Exception {
        String sealed = seal(DkimTestMessages.SIMPLE, DkimTestKeys.rsa("hop1.example", "arc"), "hop1.example; dkim=none");
        List<String> lines = List.of(sealed.split("\r\n"));
        assertTrue(lines.get(0).startsWith("ARC-Seal: i=1; a=rsa-sha256; t="), lines.get(0));
        assertTrue(lines.get(0).endsWith("cv=none;"), lines.get(0));
        assertTrue(sealed.contains("\r\nARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=hop1.example;"));
        assertTrue(sealed.contains("\r\nARC-Authentication-Results: i=1; hop1.example; dkim=none\r\nFrom: Alice"));
        assertTrue(!sealed.substring(0, sealed.indexOf("From: Alice")).toLowerCase().contains("h=dkim-signature"));
        ArcResult result = verify(sealed);
        assertEquals("pass", result.result(), result.reason());
        assertEquals(1, result.instances());
        assertEquals("hop1.example", result.oldestPassingDomain());
    }

    @Test
    void twoHopsPass() throws Exception {
        String message = twoHops();
        assertTrue(message.startsWith("ARC-Seal: i=2; a=rsa-sha256;"), message);
        assertTrue(message.contains("cv=pass;"));
        ArcResult result = verify(message);
        assertEquals("pass", result.result(), result.reason());
        assertEquals(2, result.instances());
        assertEquals("hop1.example", result.oldestPassingDomain());
        assertNull(result.reason());
    }

    @Test
    void aBodyChangeAfterTheLastHopFails() throws Exception {
        ArcResult result = verify(twoHops().replace("Noon", "Midnight"));
        assertEquals("fail", result.result());
        assertEquals("ARC-Message-Signature i=2: body hash did not verify", result.reason());
    }

    @Test
    void aBodyChangeBetweenHopsStillPassesButMovesTheOldestPass() throws Exception {
        String hop1 = seal(DkimTestMessages.SIMPLE, DkimTestKeys.rsa("hop1.example", "arc"), "hop1.example; none");
        ArcResult arriving = verify(hop1);
        assertEquals("pass", arriving.result());
        String modified = hop1.replace("Noon", "Midnight");  // hop 2 changes the body after validating, as a list might
        Path file = Files.createTempFile(temp, "m", ".eml");
        Files.writeString(file, modified, StandardCharsets.ISO_8859_1);
        String hop2 = sealer.seal(file, DkimTestKeys.rsa("hop2.example", "arc"), "hop2.example; arc=pass",
                NOW.instant().getEpochSecond(), arriving) + modified;
        ArcResult result = verify(hop2);
        assertEquals("pass", result.result(), result.reason());
        assertEquals("hop2.example", result.oldestPassingDomain(), "hop 1's message signature no longer verifies");
    }

    @Test
    void tamperedSetsFail() throws Exception {
        String message = twoHops();
        record Case(String name, String message, String reasonStart) {
        }
        List<Case> cases = List.of(
                new Case("first hop's results changed", message.replace("spf=pass", "spf=fail"), "ARC-Seal i=2: seal did not verify"),
                new Case("second hop's results changed", message.replace("arc=pass", "arc=none"), "ARC-Seal i=2: seal did not verify"),
                new Case("a set removed", removeField(message, "ARC-Authentication-Results: i=1"), "ARC set 1 is incomplete"),
                new Case("a duplicate field", message.replace("ARC-Authentication-Results: i=2;",
                        "ARC-Authentication-Results: i=1; forged\r\nARC-Authentication-Results: i=2;"), "two ARC-Authentication-Results"),
                new Case("an instance skipped", message.replace("i=2;", "i=3;"), "ARC instance 2 is missing"),
                new Case("cv=fail on top", message.replaceFirst("cv=pass", "cv=fail"), "ARC-Seal i=2 says cv=fail"),
                new Case("subject changed", message.replace("Subject: Lunch", "Subject: Money"), "ARC-Message-Signature i=2"));
        for (Case c : cases) {
            ArcResult result = verify(c.message());
            assertEquals("fail", result.result(), c.name());
            assertTrue(result.reason().startsWith(c.reasonStart()), c.name() + " → " + result.reason());
        }
    }

    @Test
    void sealingABrokenChainSaysCvFailAndTheChainStaysFailed() throws Exception {
        String broken = twoHops().replace("spf=pass", "spf=fail");
        String hop3 = seal(broken, DkimTestKeys.rsa("hop1.example", "arc"), "hop1.example; arc=fail");
        assertTrue(hop3.startsWith("ARC-Seal: i=3; a=rsa-sha256;"));
        assertTrue(hop3.substring(0, 80).contains("cv=fail"), hop3.substring(0, 80));
        assertEquals("fail", verify(hop3).result());
    }

    @Test
    void authenticationResultsCannotInjectFields() throws Exception {
        String sealed = seal(DkimTestMessages.SIMPLE, DkimTestKeys.rsa("hop1.example", "arc"),
                "hop1.example; spf=pass\r\nBcc: victim@example.com\nX-Evil: 1\r\n\tdkim=none");
        String header = sealed.substring(0, sealed.indexOf("\r\n\r\n"));
        assertTrue(header.contains("ARC-Authentication-Results: i=1; hop1.example; spf=pass  Bcc: victim@example.com X-Evil: 1\r\n\tdkim=none"),
                header);
        assertEquals("pass", verify(sealed).result());
    }

    @Test
    void anEd25519HopVerifiesWithOurEngine() throws Exception {
        String hop3 = seal(twoHops(), DkimTestKeys.ed25519("hop3.example", "ed"), "hop3.example; arc=pass");
        ArcResult result = verify(hop3);
        assertEquals("pass", result.result(), result.reason());
        assertEquals(3, result.instances());
    }

    @Test
    void missingSealKeyFails() throws Exception {
        String message = twoHops();
        ArcResult result = new ArcVerifier(new MapKeyLookup().put("arc._domainkey.hop2.example", DkimTestKeys.rsaRecord()),
                NOW, MessageHeader.DEFAULT_MAX_BYTES).verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("fail", result.result());
        assertTrue(result.reason().contains("no key record at arc._domainkey.hop1.example"), result.reason());
    }

    private static String removeField(String message, String start) {
        int from = message.indexOf(start);
        int end = message.indexOf("\r\n", from) + 2;
        while (message.charAt(end) == ' ' || message.charAt(end) == '\t') {
            end = message.indexOf("\r\n", end) + 2;
        }
        return message.substring(0, from) + message.substring(end);
    }
}
