package org.merpati.ejb.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageStructureParserTest {

    private static final String NESTED = String.join("\r\n",
            "From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.com>",
            "To: bob@example.com",
            "Subject: =?UTF-8?B?w6ljaGFudGlsbG9u?= test",
            "Message-ID: <m1@example.com>",
            "Date: Sun, 22 Nov 2026 08:30:00 +0700",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"outer\"",
            "",
            "preamble",
            "--outer",
            "Content-Type: multipart/alternative; boundary=inner",
            "",
            "--inner",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "plain line 1",
            "plain line 2",
            "--inner",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "<p>hi</p>",
            "--inner--",
            "--outer",
            "Content-Type: message/rfc822",
            "Content-Description: forwarded",
            "",
            "From: carol@example.com",
            "Subject: inner subject",
            "Content-Type: text/plain",
            "",
            "inner body",
            "--outer",
            "Content-Type: application/octet-stream",
            "Content-Disposition: attachment;",
            " filename*0*=UTF-8''na%C3%AFve%20;",
            " filename*1=\"file.txt\"",
            "Content-ID: <att1@example.com>",
            "Content-Transfer-Encoding: base64",
            "",
            "AAEC",
            "--outer--",
            "epilogue",
            "");

    private static ParsedMessage parse(String message) throws Exception {
        return MessageStructureParser.parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void cachedHeaderValues() throws Exception {
        ParsedMessage parsed = parse(NESTED);
        assertEquals("échantillon test", parsed.subject());
        assertEquals("=?ISO-8859-1?Q?Andr=E9?= <andre@example.com>", parsed.from(), "raw for IMAP ENVELOPE");
        assertEquals("bob@example.com", parsed.to());
        assertEquals("<m1@example.com>", parsed.messageId());
        assertEquals("Sun, 22 Nov 2026 08:30:00 +0700", parsed.date());
        assertTrue(parsed.envelopeJson().contains("\"subject\":\"=?UTF-8?B?w6ljaGFudGlsbG9u?= test\""));
        assertTrue(parsed.envelopeJson().contains("\"cc\":null"));
    }

    @Test
    void nestedMultipartWithMessageRfc822AndRfc2231Parameters() throws Exception {
        MimePart root = parse(NESTED).root();
        assertEquals("multipart/mixed", root.type() + "/" + root.subtype());
        assertEquals(3, root.parts().size());

        MimePart alternative = root.parts().get(0);
        assertEquals("alternative", alternative.subtype());
        MimePart plain = alternative.parts().get(0);
        assertEquals("text/plain", plain.type() + "/" + plain.subtype());
        assertEquals(Map.of("charset", "utf-8"), plain.params());
        assertEquals(NESTED.indexOf("plain line 1"), plain.bodyOffset());
        assertEquals(NESTED.indexOf("Content-Type: text/plain; charset=utf-8"), plain.headerOffset());
        assertEquals("plain line 1\r\nplain line 2".length(), plain.size());
        assertEquals(2, plain.lines());
        MimePart html = alternative.parts().get(1);
        assertEquals("quoted-printable", html.encoding());
        assertEquals("<p>hi</p>".length(), html.size());

        MimePart forwarded = root.parts().get(1);
        assertTrue(forwarded.isMessage());
        assertEquals("forwarded", forwarded.description());
        assertEquals("inner body".length(), forwarded.message().size());
        assertEquals(NESTED.indexOf("inner body"), forwarded.message().bodyOffset());
        assertEquals(NESTED.indexOf("From: carol"), forwarded.bodyOffset());
        String innerMessage = NESTED.substring(NESTED.indexOf("From: carol"), NESTED.indexOf("inner body") + 10);
        assertEquals(innerMessage.length(), forwarded.size());
        assertEquals(5, forwarded.lines()); // 3 header lines, the blank line, 1 body line

        MimePart attachment = root.parts().get(2);
        assertEquals("attachment", attachment.disposition());
        assertEquals("naïve file.txt", attachment.dispositionParams().get("filename"));
        assertEquals("<att1@example.com>", attachment.id());
        assertEquals("base64", attachment.encoding());
        assertEquals(4, attachment.size());
        assertEquals(NESTED.indexOf("AAEC"), attachment.bodyOffset());
    }

    @Test
    void bodyStructureJsonCarriesTheTree() throws Exception {
        String json = parse(NESTED).bodyStructureJson();
        assertTrue(json.startsWith("{\"type\":\"multipart\",\"subtype\":\"mixed\",\"params\":{\"boundary\":\"outer\"}"),
                json);
        assertTrue(json.contains("\"message\":{\"envelope\":{\"date\":null,\"subject\":\"inner subject\""), json);
        assertTrue(json.contains("\"dispositionParams\":{\"filename\":\"naïve file.txt\"}"), json);
        assertTrue(json.contains("\"bodyOffset\":" + NESTED.indexOf("plain line 1")), json);
    }

    @Test
    void singlePartDefaultsToTextPlainUsAscii() throws Exception {
        ParsedMessage parsed = parse("Subject: plain\r\n\r\nline one\r\nline two\r\n");
        MimePart root = parsed.root();
        assertEquals("text/plain", root.type() + "/" + root.subtype());
        assertEquals("us-ascii", root.params().get("charset"));
        assertEquals("line one\r\nline two\r\n".length(), root.size());
        assertEquals(2, root.lines());
        assertNull(parsed.from());
    }

    @Test
    void largeBodyIsCountedInOnePass() throws Exception {
        long lines = 400_000; // 40 MB of body lines
        InputStream body = new InputStream() {
            private final byte[] line = ("x".repeat(98) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            private long produced;

            @Override
            public int read() {
                if (produced >= lines * line.length) {
                    return -1;
                }
                return line[(int) (produced++ % line.length)];
            }
        };
        InputStream message = new SequenceInputStream(
                new ByteArrayInputStream("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), body);
        // the body comes from a generator: nothing but the parser's counters can hold it
        MimePart root = MessageStructureParser.parse(message).root();
        assertEquals(lines * 100, root.size());
        assertEquals(lines, root.lines());
    }
}
