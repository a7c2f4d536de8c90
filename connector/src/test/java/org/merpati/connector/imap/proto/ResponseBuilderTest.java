package org.merpati.connector.imap.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.merpati.connector.api.access.Address;
import org.merpati.connector.api.access.BodyPart;
import org.merpati.connector.api.access.MessageEnvelope;
import org.merpati.connector.imap.support.TestMime;

/** ENVELOPE, BODY and BODYSTRUCTURE rendering, string forms, and modified UTF-7. */
class ResponseBuilderTest {

    private static String text(ResponseBuilder b) {
        return new String(b.toBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void stringsAreNilQuotedOrLiteral() {
        assertEquals("NIL", text(new ResponseBuilder(false).nstring(null)));
        assertEquals("\"\"", text(new ResponseBuilder(false).nstring("")));
        assertEquals("\"a \\\"b\\\" \\\\c\"", text(new ResponseBuilder(false).string("a \"b\" \\c")));
        assertEquals("{4}\r\na\r\nb", text(new ResponseBuilder(false).string("a\r\nb")));
        // 8-bit: a literal for clients that did not enable UTF-8, quoted UTF-8 for those that did
        assertEquals("{6}\r\nGrüße".replace("{6}", "{" + "Grüße".getBytes(StandardCharsets.UTF_8).length + "}"),
            text(new ResponseBuilder(false).string("Grüße")));
        assertEquals("\"Grüße\"", text(new ResponseBuilder(true).string("Grüße")));
        String longValue = "x".repeat(ResponseBuilder.MAX_QUOTED + 1);
        assertEquals("{" + longValue.length() + "}\r\n" + longValue, text(new ResponseBuilder(true).string(longValue)));
        assertEquals("$Work", text(new ResponseBuilder(false).astring("$Work")));
    }

    @Test
    void mailboxNamesInModifiedUtf7UnlessUtf8() {
        assertEquals("INBOX", text(new ResponseBuilder(false).mailbox("inbox")));
        assertEquals("\"Entw&APw-rfe\"", text(new ResponseBuilder(false).mailbox("Entwürfe")));
        assertEquals("\"Entwürfe\"", text(new ResponseBuilder(true).mailbox("Entwürfe")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Entwürfe|Entw&APw-rfe", "A&B|A&-B", "日本語|&ZeVnLIqe-", "~peter/mail/台北/日本語|~peter/mail/&U,BTFw-/&ZeVnLIqe-",
        "plain|plain", "😀|&2D3eAA-"})
    void modifiedUtf7RoundTrips(String unicode, String encoded) {
        assertEquals(encoded, ModifiedUtf7.encode(unicode));
        assertEquals(unicode, ModifiedUtf7.decode(encoded));
    }

    @Test
    void modifiedUtf7RejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("&Jjo"));
        assertThrows(IllegalArgumentException.class, () -> ModifiedUtf7.decode("&*-"));
    }

    @Test
    void envelopeWithMissingAndEmptyFields() {
        MessageEnvelope e = new MessageEnvelope("Mon, 7 Feb 1994 21:52:25 -0800", "", List.of(new Address("Terry Gray", null, "gray", "cac.washington.edu")),
            List.of(), List.of(), List.of(new Address(null, null, "imap", "cac.washington.edu")), List.of(), List.of(), null,
            "<B27397-0100000@cac.washington.edu>");
        assertEquals("(\"Mon, 7 Feb 1994 21:52:25 -0800\" \"\" ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
            + " ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\"))"
            + " ((NIL NIL \"imap\" \"cac.washington.edu\")) NIL NIL NIL \"<B27397-0100000@cac.washington.edu>\")",
            text(new ResponseBuilder(false).envelope(e)));
    }

    private static BodyPart leaf(String type, String subtype, Map<String, String> params, String encoding, long size, long lines) {
        return new BodyPart(type, subtype, params, null, null, encoding, size, lines, null, null, Map.of(), null, null, 0, 0,
            List.of(), null, null);
    }

    @Test
    void simpleTextPart() {
        BodyPart p = leaf("text", "plain", Map.of("charset", "us-ascii"), "7bit", 3028, 92);
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 3028 92)", text(new ResponseBuilder(false).body(p, false)));
        assertEquals("(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 3028 92 NIL NIL NIL NIL)",
            text(new ResponseBuilder(false).body(p, true)));
    }

    @Test
    void nestedMultipartAndMessageRfc822FromARealMessage() {
        String inner = "From: x@y.test\r\nSubject: inner\r\n\r\nbody\r\n";
        String msg = "Content-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n"
            + "--i\r\nContent-Type: text/plain\r\n\r\nplain\r\n--i\r\nContent-Type: text/html\r\n\r\n<p>h</p>\r\n--i--\r\n"
            + "--o\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "--o--\r\n";
        byte[] bytes = msg.getBytes(StandardCharsets.US_ASCII);
        BodyPart root = TestMime.structure(bytes);
        assertEquals("(((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 5 0)(\"TEXT\" \"HTML\" NIL NIL NIL \"7BIT\" 8 0) \"ALTERNATIVE\")"
            + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" " + (inner.length() - 2) + " (NIL \"inner\" ((NIL NIL \"x\" \"y.test\"))"
            + " ((NIL NIL \"x\" \"y.test\")) ((NIL NIL \"x\" \"y.test\")) NIL NIL NIL NIL NIL) (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 4 0) 3)"
            + " \"MIXED\")", text(new ResponseBuilder(false).body(root, false)));
        // sections of the same message, by offsets (the CRLF before a boundary belongs to the boundary)
        assertEquals("plain", section(bytes, root, "1.1"));
        assertEquals("<p>h</p>", section(bytes, root, "1.2"));
        assertEquals(inner.substring(0, inner.length() - 2), section(bytes, root, "2"));
        assertEquals("From: x@y.test\r\nSubject: inner\r\n\r\n", section(bytes, root, "2.HEADER"));
        assertEquals("body", section(bytes, root, "2.TEXT"));
        assertEquals("body", section(bytes, root, "2.1"));
        assertEquals("Content-Type: text/html\r\n\r\n", section(bytes, root, "1.2.MIME"));
        assertEquals("Subject: inner\r\n\r\n", section(bytes, root, "2.HEADER.FIELDS (SUBJECT)"));
        assertEquals(null, section(bytes, root, "3"));
    }

    private static String section(byte[] message, BodyPart root, String spec) {
        try {
            ImapArgs args = new ImapArgs(RawCommand.of(spec + "]"));
            BodySection section = BodySection.parse(args, false);
            SectionResolver.Content c = SectionResolver.resolve(root, message.length, section,
                (off, len) -> java.util.Arrays.copyOfRange(message, (int) off, (int) off + len));
            if (c == null) {
                return null;
            }
            if (c instanceof SectionResolver.Content.Bytes b) {
                return new String(b.bytes(), StandardCharsets.US_ASCII);
            }
            SectionResolver.Content.Range r = (SectionResolver.Content.Range) c;
            return new String(message, (int) r.offset(), (int) r.length(), StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void headerFieldsFilterKeepsContinuationLines() {
        byte[] header = "Subject: a\r\n b\r\nFrom: x\r\nX-Other: y\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("Subject: a\r\n b\r\n\r\n", new String(SectionResolver.filterFields(header, List.of("SUBJECT"), false),
            StandardCharsets.US_ASCII));
        assertEquals("From: x\r\n\r\n", new String(SectionResolver.filterFields(header, List.of("SUBJECT", "X-OTHER"), true),
            StandardCharsets.US_ASCII));
    }

    @Test
    void transferDecodingStreams() throws Exception {
        assertEquals("Hello World!", decode("SGVsbG8g\r\nV29ybGQh\r\n", "base64"));
        assertEquals("caf\u00e9 \u00e0 la carte", new String(decodeBytes("caf=C3=A9 =C3=A0 la=\r\n carte", "quoted-printable"),
            StandardCharsets.UTF_8));
        assertEquals("as is", decode("as is", "8bit"));
        assertEquals(12, TransferDecoding.decodedLength(new java.io.ByteArrayInputStream("SGVsbG8gV29ybGQh".getBytes()), "base64"));
    }

    private static String decode(String raw, String encoding) throws Exception {
        return new String(decodeBytes(raw, encoding), StandardCharsets.ISO_8859_1);
    }

    private static byte[] decodeBytes(String raw, String encoding) throws Exception {
        try (java.io.InputStream in = TransferDecoding.decode(new java.io.ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)), encoding)) {
            return in.readAllBytes();
        }
    }

    @Test
    void baseSubjects() {
        assertEquals("HELLO", MessageOrdering.baseSubject("Re: Fwd: [list] hello (fwd)"));
        assertEquals("HELLO", MessageOrdering.baseSubject("[Fwd: Re: hello]"));
        assertEquals("GRÜSSE", MessageOrdering.baseSubject("=?UTF-8?Q?Re:_Gr=C3=BC=C3=9Fe?="));
    }
}
