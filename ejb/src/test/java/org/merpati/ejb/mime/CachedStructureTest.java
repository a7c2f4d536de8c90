package org.merpati.ejb.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.merpati.connector.api.access.BodyPart;
import org.merpati.connector.api.access.MessageEnvelope;

class CachedStructureTest {

    private static final String MESSAGE = String.join("\r\n",
            "From: Ann <ann@example.com>",
            "Reply-To: list@example.com",
            "Subject: =?UTF-8?B?w6k=?= \"quoted\" \\ back",
            "Content-Type: multipart/mixed; boundary=b",
            "",
            "--b",
            "Content-Type: text/plain; charset=\"utf-8\"; format=flowed",
            "Content-Disposition: inline",
            "",
            "hello",
            "--b",
            "Content-Type: application/pdf; name=\"r\u00e9sum\u00e9.pdf\"",
            "Content-Disposition: attachment; filename=\"cv.pdf\"",
            "Content-Transfer-Encoding: base64",
            "",
            "AAAA",
            "--b--",
            "");

    @Test
    void structureAndEnvelopeSurviveTheJsonRoundTrip() throws Exception {
        byte[] bytes = MESSAGE.getBytes(StandardCharsets.UTF_8);
        ParsedMessage parsed = MessageStructureParser.parse(new ByteArrayInputStream(bytes));
        MessageEnvelope envelope = CachedStructure.envelope(parsed.envelopeJson());
        assertEquals("=?UTF-8?B?w6k=?= \"quoted\" \\ back", envelope.subject());
        assertEquals("Ann", envelope.from().get(0).name());
        assertEquals(envelope.from(), envelope.sender());
        assertEquals("list", envelope.replyTo().get(0).mailbox());
        assertTrue(envelope.to().isEmpty());
        assertNull(envelope.date());

        BodyPart root = CachedStructure.bodyStructure(parsed.bodyStructureJson());
        assertEquals("multipart", root.type());
        assertEquals(Map.of("boundary", "b"), root.params());
        BodyPart text = root.parts().get(0);
        assertEquals(Map.of("charset", "utf-8", "format", "flowed"), text.params());
        assertEquals("inline", text.disposition());
        assertEquals("hello", new String(bytes, (int) text.bodyOffset(), (int) text.size(), StandardCharsets.UTF_8));
        assertEquals(1, text.lines());
        BodyPart pdf = root.parts().get(1);
        assertEquals("résumé.pdf", pdf.params().get("name"));
        assertEquals(Map.of("filename", "cv.pdf"), pdf.dispositionParams());
        assertEquals("base64", pdf.encoding());
        assertEquals("AAAA", new String(bytes, (int) pdf.bodyOffset(), (int) pdf.size(), StandardCharsets.UTF_8));
        assertEquals(pdf.bodyOffset() + pdf.size(), pdf.endOffset());
    }

    @Test
    void missingOrBrokenJson() {
        assertNull(CachedStructure.bodyStructure(null));
        assertTrue(CachedStructure.envelope(null).from().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> CachedStructure.bodyStructure("{\"type\":"));
        assertThrows(IllegalArgumentException.class, () -> CachedStructure.bodyStructure("[1] x"));
    }
}
