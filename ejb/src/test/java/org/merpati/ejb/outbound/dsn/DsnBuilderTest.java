package org.merpati.ejb.outbound.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.merpati.ejb.outbound.dsn.DsnRecipient.Action;

/** RFC 3464 DSNs: structure (parsed back with mime4j), fields, RET, limits and header injection. */
class DsnBuilderTest {

    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 1, 10, 0, 0, 0, ZoneOffset.UTC);
    private static final String ORIGINAL = "Received: from x by y; Tue, 1 Dec 2026 08:00:00 +0000\r\n"
            + "From: Alice <alice@merpati.example>\r\nTo: bob@remote.example\r\nSubject: lunch?\r\n"
            + "Message-ID: <m1@merpati.example>\r\n\r\nAre you free at noon?\r\n";
    private static final String BOUNDARY = "=_test_boundary";

    private static DsnRecipient failed(String address, String diagnostic) {
        return new DsnRecipient(address, "rfc822;" + address, Action.FAILED, "5.1.1", diagnostic, true,
                "mx.remote.example [192.0.2.1]", Instant.parse("2026-12-01T09:59:00Z"), null);
    }

    private static DsnReport report(boolean full, DsnRecipient... recipients) {
        return new DsnReport("mx.merpati.example", "merpati.example", "alice@merpati.example",
                NOW.minusHours(2), "QQ+2Bid", full, List.of(recipients), NOW, "abc.dsn@mx.merpati.example");
    }

    private static String build(DsnReport report, String original, long limit, boolean eightBit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = original.getBytes(StandardCharsets.UTF_8);
        new DsnBuilder(limit).write(report, new ByteArrayInputStream(bytes), bytes.length, eightBit, false, out,
                BOUNDARY);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A parsed DSN: top-level fields, and each part's content type and body. */
    record Parsed(Map<String, String> header, List<String> types, List<String> bodies, String reportType) {
    }

    static Parsed parse(String dsn) throws IOException, MimeException {
        MimeTokenStream stream = new MimeTokenStream(MimeConfig.PERMISSIVE);
        // the returned message is one part: its own structure is the original's business
        stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
        stream.parse(new ByteArrayInputStream(dsn.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> header = new LinkedHashMap<>();
        List<String> types = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        String reportType = null;
        int depth = 0;
        for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
            switch (state) {
                case T_START_MULTIPART -> {
                    if (depth == 0) {
                        reportType = stream.getBodyDescriptor().getMimeType() + ";"
                                + stream.getBodyDescriptor().getBoundary();
                    }
                    depth++;
                }
                case T_FIELD -> {
                    Field f = stream.getField();
                    if (depth == 0) {
                        header.put(f.getName(), f.getBody());
                    }
                }
                case T_BODY -> {
                    types.add(stream.getBodyDescriptor().getMimeType());
                    try (InputStream in = stream.getDecodedInputStream()) {
                        bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
                default -> {
                }
            }
        }
        return new Parsed(header, types, bodies, reportType);
    }

    /** Header blocks of a message/delivery-status body: per-message fields, then one block per recipient. */
    static List<Map<String, String>> statusBlocks(String body) {
        List<Map<String, String>> blocks = new ArrayList<>();
        for (String block : body.replace("\r\n ", " ").split("\r\n\r\n")) {
            if (block.isBlank()) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : block.split("\r\n")) {
                int colon = line.indexOf(':');
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
            blocks.add(fields);
        }
        return blocks;
    }

    @Test
    void failureDsnHasTheThreePartsOfRfc3464() throws Exception {
        String dsn = build(report(false, failed("bob@remote.example", "550 5.1.1 <bob@remote.example>: no such user")),
                ORIGINAL, 1 << 20, false);
        Parsed p = parse(dsn);
        assertEquals("multipart/report;" + BOUNDARY, p.reportType());
        assertTrue(p.header().get("Content-Type").contains("report-type=delivery-status"));
        assertEquals("Mail Delivery System <MAILER-DAEMON@merpati.example>", p.header().get("From"));
        assertEquals("<alice@merpati.example>", p.header().get("To"));
        assertEquals("auto-replied", p.header().get("Auto-Submitted"));
        assertEquals("Undelivered Mail Returned to Sender", p.header().get("Subject"));
        assertEquals("<abc.dsn@mx.merpati.example>", p.header().get("Message-ID"));
        assertEquals("Tue, 1 Dec 2026 10:00:00 +0000", p.header().get("Date"));
        assertEquals(List.of("text/plain", "message/delivery-status", "text/rfc822-headers"), p.types());

        assertTrue(p.bodies().get(0).contains("<bob@remote.example>:\r\n    550 5.1.1 <bob@remote.example>: no such user"));
        List<Map<String, String>> blocks = statusBlocks(p.bodies().get(1));
        assertEquals(2, blocks.size());
        assertEquals(Map.of("Reporting-MTA", "dns; mx.merpati.example", "Original-Envelope-Id", "QQ+id",
                "Arrival-Date", "Tue, 1 Dec 2026 08:00:00 +0000"), blocks.get(0));
        Map<String, String> r = blocks.get(1);
        assertEquals("rfc822; bob@remote.example", r.get("Final-Recipient"));
        assertEquals("rfc822; bob@remote.example", r.get("Original-Recipient"));
        assertEquals("failed", r.get("Action"));
        assertEquals("5.1.1", r.get("Status"));
        assertEquals("dns; mx.remote.example", r.get("Remote-MTA"));
        assertEquals("smtp; 550 5.1.1 <bob@remote.example>: no such user", r.get("Diagnostic-Code"));
        assertEquals("Tue, 1 Dec 2026 09:59:00 +0000", r.get("Last-Attempt-Date"));
        // RET=HDRS (or absent): the header block only
        assertEquals(ORIGINAL.substring(0, ORIGINAL.indexOf("\r\n\r\n") + 4), p.bodies().get(2));
    }

    @Test
    void retFullReturnsTheWholeMessageAsMessageRfc822() throws Exception {
        Parsed p = parse(build(report(true, failed("bob@remote.example", "550 no")), ORIGINAL, 1 << 20, false));
        assertEquals(List.of("text/plain", "message/delivery-status", "message/rfc822"), p.types());
        assertEquals(ORIGINAL, p.bodies().get(2));
        assertTrue(new String(build(report(true, failed("bob@remote.example", "550 no")), ORIGINAL, 1 << 20, false))
                .contains(ORIGINAL + "\r\n--" + BOUNDARY + "--\r\n"));
    }

    @Test
    void retFullOverTheLimitReturnsHeadersAndSaysSo() throws Exception {
        Parsed p = parse(build(report(true, failed("bob@remote.example", "550 no")), ORIGINAL, 100, false));
        assertEquals("text/rfc822-headers", p.types().get(2));
        assertTrue(p.bodies().get(0).contains("too large to be returned whole"));
        assertFalse(p.bodies().get(2).contains("noon"));
    }

    @Test
    void headerOnlyCopyStopsAtTheLimitAndEndsTheLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DsnBuilder.copyHeader(new ByteArrayInputStream("Subject: aaaaaaaaaaaaaaaa\r\n".getBytes()), out, 10);
        assertEquals("Subject: a\r\n", out.toString());
    }

    @Test
    void eightBitOriginalIsDeclared() throws Exception {
        String dsn = build(report(true, failed("bob@remote.example", "550 no")),
                ORIGINAL.replace("noon", "midi \u00e0 l'\u00e9t\u00e9"), 1 << 20, true);
        assertTrue(dsn.contains("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n"));
    }

    @Test
    void mixedBatchInOneReport() throws Exception {
        DsnRecipient delayed = new DsnRecipient("carol@slow.example", null, Action.DELAYED, "4.4.1",
                "connection timed out", false, null, Instant.parse("2026-12-01T09:59:00Z"),
                Instant.parse("2026-12-06T08:00:00Z"));
        DsnRecipient relayed = new DsnRecipient("dave@fast.example", null, Action.RELAYED, "2.0.0",
                "250 2.0.0 Ok: queued as 123", true, "mx.fast.example", null, null);
        Parsed p = parse(build(report(false, delayed, relayed), ORIGINAL, 1 << 20, false));
        assertEquals("Delayed Mail (still being retried)", p.header().get("Subject"));
        List<Map<String, String>> blocks = statusBlocks(p.bodies().get(1));
        assertEquals(3, blocks.size());
        assertEquals("delayed", blocks.get(1).get("Action"));
        assertEquals("X-Merpati; connection timed out", blocks.get(1).get("Diagnostic-Code"));
        assertEquals("Sun, 6 Dec 2026 08:00:00 +0000", blocks.get(1).get("Will-Retry-Until"));
        assertFalse(blocks.get(1).containsKey("Original-Recipient"));
        assertEquals("relayed", blocks.get(2).get("Action"));
        assertTrue(p.bodies().get(0).contains("still queued"));
        assertTrue(p.bodies().get(0).contains("handed over"));
        assertEquals("Successful Mail Delivery Report", DsnBuilder.subject(report(false, relayed)));
    }

    /** Values from outside that try to add header fields or MIME parts. */
    static Stream<Arguments> injections() {
        return Stream.of(
                Arguments.of("address", "bob@remote.example\r\nBcc: victim@example.org", "550 no", "env", "mx"),
                Arguments.of("bare LF address", "bob@remote.example\nBcc: victim@example.org", "550 no", "env", "mx"),
                Arguments.of("diagnostic", "bob@remote.example", "550 no\r\nBcc: victim@example.org\r\n\r\n--"
                        + BOUNDARY + "\r\nContent-Type: text/html", "env", "mx"),
                Arguments.of("diagnostic CR only", "bob@remote.example", "550 no\rBcc: victim@example.org", "env", "mx"),
                Arguments.of("xtext ENVID", "bob@remote.example", "550 no", "id+0D+0ABcc:+20victim@example.org", "mx"),
                Arguments.of("remote MTA", "bob@remote.example", "550 no", "env",
                        "mx.remote.example\r\nBcc: victim@example.org"),
                Arguments.of("unicode separators", "bob@remote.example", "550 no\u2028Bcc: victim@example.org\u0085",
                        "env", "mx"),
                Arguments.of("NUL and DEL", "bob@remote.example\u0000\u007f", "550\u0000 no\u001b[31m", "env", "mx"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("injections")
    void noInjectedFieldsOrParts(String name, String address, String diagnostic, String envId, String remoteMta)
            throws Exception {
        DsnRecipient r = new DsnRecipient(address, "rfc822;" + address.replace("\r", "+0D").replace("\n", "+0A"),
                Action.FAILED, "5.1.1", diagnostic, true, remoteMta, null, null);
        DsnReport report = new DsnReport("mx.merpati.example", "merpati.example", address, NOW, envId, false,
                List.of(r), NOW, "x@y");
        String dsn = build(report, ORIGINAL, 1 << 20, false);
        for (String line : dsn.split("\r\n", -1)) {
            assertFalse(line.startsWith("Bcc:"), () -> "injected line in:\n" + dsn);
            assertFalse(line.contains("\r") || line.contains("\n"), "bare CR or LF");
            assertFalse(line.chars().anyMatch(c -> c < 0x20 && c != '\t'), () -> "control character in: " + line);
        }
        assertEquals(3, dsn.split("\r\n--" + BOUNDARY + "\r\n", -1).length - 1, "exactly three parts");
        Parsed p = parse(dsn);
        assertEquals(List.of("text/plain", "message/delivery-status", "text/rfc822-headers"), p.types());
        assertFalse(p.header().containsKey("Bcc"));
        for (Map<String, String> block : statusBlocks(p.bodies().get(1))) {
            assertFalse(block.containsKey("Bcc"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 1000, 5000})
    void longDiagnosticsAreFoldedAndClipped(int length) throws Exception {
        String diagnostic = "550 5.7.1 " + "word ".repeat(length / 5);
        String dsn = build(report(false, failed("bob@remote.example", diagnostic)), ORIGINAL, 1 << 20, false);
        for (String line : dsn.split("\r\n")) {
            assertTrue(line.length() <= 998, "line longer than RFC 5322 allows");
        }
        String code = statusBlocks(parse(dsn).bodies().get(1)).get(1).get("Diagnostic-Code");
        assertTrue(code.startsWith("smtp; 550 5.7.1 word word"));
        assertTrue(code.length() <= 920);
    }

    @Test
    void nonAsciiAddressesUseTheUtf8TypeAndTheTextIsQuotedPrintable() throws Exception {
        DsnRecipient r = new DsnRecipient("j\u00f6rg@b\u00fccher.example", "utf-8;j\u00f6rg@b\u00fccher.example",
                Action.FAILED, "5.1.1", "550 unknown", true, null, null, null);
        String dsn = build(report(false, r), ORIGINAL, 1 << 20, false);
        Parsed p = parse(dsn);
        Map<String, String> block = statusBlocks(p.bodies().get(1)).get(1);
        assertEquals("utf-8; j\\x{F6}rg@b\\x{FC}cher.example", block.get("Final-Recipient"));
        assertTrue(dsn.contains("Content-Transfer-Encoding: quoted-printable"));
        assertTrue(p.bodies().get(0).contains("<j\u00f6rg@b\u00fccher.example>"), "decoded text keeps the address");
        assertTrue(p.bodies().get(1).chars().allMatch(c -> c < 0x80), "the status part is ASCII");
    }

    @Test
    void statusFallsBackByAction() throws Exception {
        DsnRecipient r = new DsnRecipient("b@r.example", null, Action.FAILED, "550", null, false, null, null, null);
        Map<String, String> block = statusBlocks(parse(build(report(false, r), ORIGINAL, 1 << 20, false)).bodies()
                .get(1)).get(1);
        assertEquals("5.0.0", block.get("Status"));
        assertFalse(block.containsKey("Diagnostic-Code"));
    }

    @Test
    void xtextAndNotify() {
        assertEquals("a+b=c", Xtext.decode("a+2Bb+3Dc"));
        assertEquals("keep +zz and +4", Xtext.decode("keep +zz and +4"));
        assertEquals("\u00e9", Xtext.decode("+C3+A9"));
        assertEquals(DsnNotify.DEFAULT, DsnNotify.parse(null));
        assertEquals(DsnNotify.NEVER, DsnNotify.parse("Never"));
        assertEquals(new DsnNotify(true, false, true), DsnNotify.parse("success,DELAY"));
    }

    @Test
    void quotedPrintableKeepsLinesShort() {
        String text = "\u00e9".repeat(100) + "\r\nend \r\n";
        String qp = QuotedPrintable.encode(text);
        for (String line : qp.split("\r\n")) {
            assertTrue(line.length() <= 76, line);
        }
        assertTrue(qp.endsWith("end=20\r\n"));
    }
}
