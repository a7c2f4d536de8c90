package org.merpati.ejb.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.SessionInfo;
import org.merpati.ejb.mailauth.MessageSigning;

/**
 * From spool to final message: authors judged, fields added, Received in front, DKIM signature of the From
 * domain prepended last over everything else (a fake signer records what it was given).
 */
class MessagePreparationTest {

    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 22, 8, 30, 0, 0, ZoneOffset.UTC);
    private static final String ALICE = "alice@example.com";

    @TempDir
    Path temp;

    /** Signs with a fixed field and remembers the domain and the message it saw. */
    private static final class FakeSigning implements MessageSigning {
        final List<String> domains = new ArrayList<>();
        final List<String> signedContent = new ArrayList<>();
        String signature = "DKIM-Signature: v=1; a=ed25519-sha256; d=example.com; s=s1;\r\n\tb=fake\r\n";

        @Override
        public String dkimSignatures(String domain, Path message) throws IOException {
            domains.add(domain);
            signedContent.add(Files.readString(message, StandardCharsets.UTF_8));
            return signature;
        }

        @Override
        public String arcSet(String domain, Path message, String authenticationResults) {
            throw new AssertionError("submission does not seal");
        }
    }

    private static SessionInfo session() {
        return new SessionInfo("s1", "ESMTPSA", "198.51.100.7", 50000, "[192.168.1.23]", "192.0.2.1", 587,
                "TLSv1.3", "TLS_AES_128_GCM_SHA256", ALICE);
    }

    private final SenderOwnership.Directory directory = new SenderOwnership.Directory() {
        @Override
        public List<String> aliasTargets(String alias) {
            return Map.of("sales@example.com", List.of(ALICE)).getOrDefault(alias, List.of());
        }

        @Override
        public List<String> sendAsGrants(String account) {
            return List.of();
        }
    };

    private MessagePreparation.Prepared prepare(String message, MessageSigning signing, boolean hideClient)
            throws Exception {
        Path spool = Files.writeString(temp.resolve("spool"), message, StandardCharsets.UTF_8);
        MessagePreparation preparation = new MessagePreparation(
                new SubmissionSettings(0, 0, hideClient, "mail.example.com"), signing);
        return preparation.prepare(session(), "abc123", spool,
                addresses -> new SenderOwnership(ALICE, directory).firstForeign(addresses), temp.resolve("work"), NOW);
    }

    @Test
    void theSignatureComesFirstAndCoversTheAddedFields() throws Exception {
        FakeSigning signing = new FakeSigning();
        MessagePreparation.Prepared prepared = prepare("From: Alice <alice@example.com>\r\nSubject: hi\r\n\r\nbody\r\n",
                signing, false);
        String out = Files.readString(prepared.file(), StandardCharsets.UTF_8);
        assertEquals(List.of("example.com"), signing.domains);
        assertEquals("example.com", prepared.fromDomain());
        assertEquals(Files.size(prepared.file()), prepared.size());
        assertTrue(out.startsWith(signing.signature + "Received: from [192.168.1.23] (198.51.100.7)"), out);
        assertEquals(signing.signature + signing.signedContent.get(0), out, "signed exactly what follows it");
        String signed = signing.signedContent.get(0);
        assertTrue(signed.contains("\r\nDate: Sun, 22 Nov 2026 08:30:00 +0000\r\n"), signed);
        assertTrue(signed.contains("\r\nMessage-ID: <"), signed);
        assertTrue(signed.replace("\r\n\t", " ").contains("(authenticated as alice@example.com) by mail.example.com"
                + " (Merpati) with ESMTPSA id abc123;"), signed);
        assertTrue(out.endsWith("\r\n\r\nbody\r\n"));
        try (Stream<Path> work = Files.list(temp.resolve("work"))) {
            assertEquals(List.of(prepared.file()), work.toList(), "the unsigned copy is gone");
        }
    }

    @Test
    void withoutAKeyOrASignerTheMessageGoesOutUnsigned() throws Exception {
        FakeSigning noKey = new FakeSigning();
        noKey.signature = "";
        String out = Files.readString(prepare("From: alice@example.com\r\n\r\nx\r\n", noKey, false).file());
        assertTrue(out.startsWith("Received: "), out);
        String unsigned = Files.readString(prepare("From: alice@example.com\r\n\r\nx\r\n", null, false).file());
        assertTrue(unsigned.startsWith("Received: "), unsigned);
    }

    @Test
    void hiddenClientLeavesAddressAndEhloNameOut() throws Exception {
        String out = Files.readString(prepare("From: alice@example.com\r\n\r\nx\r\n", null, true).file());
        String received = out.substring(0, out.indexOf(';'));
        assertFalse(out.contains("198.51.100.7"), out);
        assertFalse(out.contains("192.168.1.23"), out);
        assertTrue(received.startsWith("Received: (authenticated as alice@example.com) by mail.example.com"),
                received);
    }

    @Test
    void aFromTheAccountDoesNotOwnIsRefusedWith553() throws Exception {
        FakeSigning signing = new FakeSigning();
        MessagePreparation.Refused refused = assertThrows(MessagePreparation.Refused.class, () -> prepare(
                "From: alice@example.com, boss@example.com\r\n\r\nx\r\n", signing, false));
        assertEquals(553, refused.reply().code());
        assertEquals("5.7.1", refused.reply().enhanced());
        assertEquals("From address rejected: boss@example.com not owned by user alice@example.com",
                refused.reply().text());
        assertTrue(signing.domains.isEmpty(), "nothing signed");
        assertFalse(Files.exists(temp.resolve("work")) && Files.list(temp.resolve("work")).findAny().isPresent());
    }

    @Test
    void aSenderFieldIsJudgedToo() throws Exception {
        MessagePreparation.Refused refused = assertThrows(MessagePreparation.Refused.class, () -> prepare(
                "From: sales@example.com\r\nSender: bob@example.com\r\n\r\nx\r\n", null, false));
        assertEquals(553, refused.reply().code());
        prepare("From: sales@example.com\r\nSender: alice@example.com\r\n\r\nx\r\n", null, false);
    }

    @Test
    void aMissingFromIsRefusedWith554() throws Exception {
        MessagePreparation.Refused refused = assertThrows(MessagePreparation.Refused.class, () -> prepare(
                "Subject: anonymous\r\n\r\nx\r\n", null, false));
        assertEquals(554, refused.reply().code());
        assertEquals("5.6.0", refused.reply().enhanced());
        assertEquals("Message has no From header field", refused.reply().text());
    }

    @Test
    void theSigningDomainIsTheFirstAuthors() throws Exception {
        FakeSigning signing = new FakeSigning();
        prepare("From: Sales <SALES@Example.COM>\r\n\r\nx\r\n", signing, false);
        assertEquals(List.of("example.com"), signing.domains);
    }
}
