package org.merpati.ejb.mailauth.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.merpati.ejb.mailauth.ArcResult;
import org.merpati.ejb.mailauth.DkimResult;
import org.merpati.ejb.mailauth.FakeDns;
import org.merpati.ejb.mailauth.MessageVerification;
import org.merpati.ejb.mailauth.inbound.InboundVerdict.Action;

/** The whole inbound judgement with an in-memory DNS and a stub DKIM/ARC verifier. */
class InboundAuthenticatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    private static final FakeDns DNS = FakeDns.of("""
            sender.example TXT v=spf1 ip4:192.0.2.10 -all
            _dmarc.sender.example TXT v=DMARC1; p=reject
            mail.sender.example TXT v=spf1 a -all
            mail.sender.example A 192.0.2.10
            quarantine.example TXT v=spf1 ip4:192.0.2.10 -all
            _dmarc.quarantine.example TXT v=DMARC1; p=quarantine
            relaxed.example TXT v=spf1 -all
            _dmarc.relaxed.example TXT v=DMARC1; p=none
            slow.example TIMEOUT
            _dmarc.slow.example TIMEOUT
            forwarder.example TXT v=spf1 ip4:198.51.100.7 -all
            """);

    @TempDir
    Path dir;

    /** A verifier stub: DKIM results from "result:domain" items, or an I/O failure. */
    private static MessageVerification verifier(String dkim, ArcResult arc, boolean broken) {
        return new MessageVerification() {
            @Override
            public List<DkimResult> verifyDkim(Path message) throws IOException {
                if (broken) {
                    throw new IOException("disk gone");
                }
                List<DkimResult> results = new ArrayList<>();
                if (dkim != null) {
                    for (String item : dkim.split(" ")) {
                        String[] p = item.split(":");
                        results.add(new DkimResult(p[0], p[1], "s1", "@" + p[1], "ed25519-sha256", "AbCdEfGh", null));
                    }
                }
                return results;
            }

            @Override
            public ArcResult verifyArc(Path message) {
                return arc;
            }
        };
    }

    private Path message(String from) throws IOException {
        Path file = Files.createTempFile(dir, "msg", ".eml");
        // "a ++ b" writes two From fields
        String header = from == null ? "" : "From: " + from.replace(" ++ ", "\r\nFrom: ") + "\r\n";
        Files.writeString(file, header + "To: bob@merpati.example\r\nSubject: hi\r\n\r\nHello\r\n",
                StandardCharsets.UTF_8);
        return file;
    }

    private static InboundAuthenticator authenticator(MessageVerification verifier, boolean defer, boolean trustArc) {
        MailAuthSettings settings = new MailAuthSettings(true, defer, trustArc, Set.of("forwarder.example"),
                "mx.merpati.example");
        return new InboundAuthenticator(settings, DNS, verifier, () -> 0, CLOCK);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // case | client | MAIL FROM | From | DKIM | action | expected A-R fragments (comma-separated)
            "spf-aligned-pass|192.0.2.10|a@sender.example|a@sender.example|-|ACCEPT|spf=pass smtp.mailfrom=a@sender.example,dkim=none,dmarc=pass (p=reject) header.from=sender.example",
            "spoofed-reject|203.0.113.5|a@sender.example|a@sender.example|-|REJECT|spf=fail smtp.mailfrom=a@sender.example,dmarc=fail (p=reject dis=reject) header.from=sender.example",
            "dkim-saves-spf-fail|203.0.113.5|a@sender.example|a@sender.example|pass:sender.example|ACCEPT|spf=fail,dkim=pass header.d=sender.example header.i=@sender.example header.s=s1 header.a=ed25519-sha256 header.b=AbCdEfGh,dmarc=pass",
            "quarantine|203.0.113.5|x@quarantine.example|x@quarantine.example|-|QUARANTINE|dmarc=fail (p=quarantine dis=quarantine)",
            "p-none-accepts|203.0.113.5|x@relaxed.example|x@relaxed.example|-|ACCEPT|spf=fail,dmarc=fail (p=none dis=none)",
            "null-sender-uses-helo|192.0.2.10|-|postmaster@sender.example|-|ACCEPT|spf=pass smtp.mailfrom=postmaster@mail.sender.example,spf=pass smtp.helo=mail.sender.example,dmarc=pass",
            "no-from-recorded|192.0.2.10|a@sender.example|-|-|ACCEPT|dmarc=none (no From field)",
            "two-from-fields-rejected|192.0.2.10|a@sender.example|a@sender.example ++ b@other.example|-|REJECT|dmarc=permerror (several From fields)",
            "dns-timeout-accepts|192.0.2.10|a@slow.example|a@slow.example|-|ACCEPT|spf=temperror,dmarc=temperror (DNS,header.from=slow.example",
            "two-author-domains-strictest|203.0.113.5|x@relaxed.example|x@relaxed.example, y@sender.example|-|REJECT|header.from=relaxed.example,dmarc=fail (p=reject dis=reject) header.from=sender.example",
            "no-dmarc-record|203.0.113.5|x@nothing.example|x@nothing.example|-|ACCEPT|spf=none,dmarc=none (no DMARC record) header.from=nothing.example",
    })
    void judges(String name, String client, String mailFrom, String from, String dkim, Action action,
                String fragments) throws IOException {
        InboundVerdict verdict = authenticator(verifier(dkim, ArcResult.NONE, false), false, false)
                .authenticate(client, "mail.sender.example", mailFrom == null ? "" : mailFrom, message(from));
        assertEquals(action, verdict.action(), name + ": " + verdict.field());
        assertTrue(verdict.field().startsWith("Authentication-Results: mx.merpati.example;\r\n"), verdict.field());
        for (String fragment : fragments.split(",")) {
            assertTrue(verdict.field().contains(fragment.strip()), name + ": no '" + fragment + "' in\n" + verdict.field());
        }
        if (action == Action.REJECT) {
            assertTrue(verdict.replyText() != null && !verdict.replyText().isEmpty());
        }
    }

    @Test
    void temperrorDefersOnlyWhenConfigured() throws IOException {
        Path msg = message("a@slow.example");
        assertEquals(Action.ACCEPT, authenticator(verifier(null, ArcResult.NONE, false), false, false)
                .authenticate("192.0.2.10", "h.example", "a@slow.example", msg).action());
        InboundVerdict deferred = authenticator(verifier(null, ArcResult.NONE, false), true, false)
                .authenticate("192.0.2.10", "h.example", "a@slow.example", msg);
        assertEquals(Action.DEFER, deferred.action());
        assertTrue(deferred.replyText().contains("slow.example"));
    }

    @Test
    void brokenVerifierNeverRejects() throws IOException {
        InboundVerdict verdict = authenticator(verifier(null, ArcResult.NONE, true), false, false)
                .authenticate("203.0.113.5", "h.example", "a@sender.example", message("a@sender.example"));
        assertEquals(Action.ACCEPT, verdict.action());
        assertTrue(verdict.field().contains("dkim=temperror (not verified)"), verdict.field());
        assertTrue(verdict.field().contains("dmarc=temperror"), verdict.field());
    }

    @Test
    void noVerifierNeverRejects() throws IOException {
        InboundVerdict verdict = authenticator(null, false, false)
                .authenticate("203.0.113.5", "h.example", "a@sender.example", message("a@sender.example"));
        assertEquals(Action.ACCEPT, verdict.action());
    }

    @Test
    void trustedArcSealerOverridesReject() throws IOException {
        ArcResult arc = new ArcResult("pass", 1, "forwarder.example", null);
        InboundVerdict verdict = authenticator(verifier(null, arc, false), false, true)
                .authenticate("198.51.100.7", "mx.forwarder.example", "list@forwarder.example",
                        message("a@sender.example"));
        assertEquals(Action.ACCEPT, verdict.action());
        assertTrue(verdict.field().contains("arc=pass smtp.remote-ip=198.51.100.7"), verdict.field());
        assertTrue(verdict.field().contains("override=trusted_forwarder"), verdict.field());
        // not trusted when the switch is off
        assertEquals(Action.REJECT, authenticator(verifier(null, arc, false), false, false)
                .authenticate("198.51.100.7", "mx.forwarder.example", "list@forwarder.example",
                        message("a@sender.example")).action());
    }

    @Test
    void hostileEnvelopeValuesStayInsideTheField() throws IOException {
        InboundVerdict verdict = authenticator(verifier(null, ArcResult.NONE, false), false, false)
                .authenticate("203.0.113.5", "evil\r\nX-Injected: 1", "\"a\r\nBcc: x\"@relaxed.example",
                        message("x@relaxed.example"));
        assertTrue(!verdict.field().contains("\nX-Injected") && !verdict.field().contains("\nBcc"), verdict.field());
    }

    @Test
    void storedCopyHasOurResultsOnTopAndNoForgedOnes() throws IOException {
        // what DeliveryService stores: our field, the trace fields, then the spool without forged results
        Path spool = Files.createTempFile(dir, "spool", ".eml");
        Files.writeString(spool, "Authentication-Results: mx.merpati.example; dmarc=pass header.from=sender.example\r\n"
                + "Authentication-Results: other.example; spf=pass\r\n"
                + "From: a@sender.example\r\nSubject: s\r\n\r\nbody\r\n", StandardCharsets.UTF_8);
        InboundAuthenticator authenticator = authenticator(verifier(null, ArcResult.NONE, false), false, false);
        InboundVerdict verdict = authenticator.authenticate("203.0.113.5", "h.example", "a@sender.example", spool);
        String stored;
        try (var in = new java.io.SequenceInputStream(
                new java.io.ByteArrayInputStream((verdict.field() + "Received: x\r\n").getBytes(StandardCharsets.UTF_8)),
                authenticator.withoutForgedResults(Files.newInputStream(spool)))) {
            stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(stored.startsWith(verdict.field() + "Received: x\r\nAuthentication-Results: other.example;"),
                stored);
        assertEquals(1, stored.split("mx.merpati.example", -1).length - 1, stored);
        assertTrue(stored.endsWith("From: a@sender.example\r\nSubject: s\r\n\r\nbody\r\n"), stored);
        assertEquals(Action.REJECT, verdict.action(), "the forged dmarc=pass counted for nothing");
    }

    @Test
    void clientAddressLiterals() {
        assertEquals("192.0.2.1", InboundAuthenticator.parseAddress("[192.0.2.1]").getHostAddress());
        assertEquals("2001:db8:0:0:0:0:0:1", InboundAuthenticator.parseAddress("[IPv6:2001:db8::1]").getHostAddress());
        assertEquals("2001:db8:0:0:0:0:0:1", InboundAuthenticator.parseAddress("/2001:db8::1%eth0").getHostAddress());
        assertNull(InboundAuthenticator.parseAddress("mail.example.com"));
        assertNull(InboundAuthenticator.parseAddress(null));
    }
}
