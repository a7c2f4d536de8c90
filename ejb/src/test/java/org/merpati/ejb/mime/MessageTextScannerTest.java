package org.merpati.ejb.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.merpati.connector.api.access.BodyPart;

class MessageTextScannerTest {

    @Test
    void streamingMatcherFindsAcrossChunkBoundariesAndOverlaps() {
        MessageTextScanner.Matcher m = new MessageTextScanner.Matcher("AAB");
        boolean found = false;
        for (char c : "xaaaab".toCharArray()) {
            found |= m.feed(c);
        }
        assertTrue(found);
        MessageTextScanner.Matcher none = new MessageTextScanner.Matcher("abc");
        for (char c : "ababab".toCharArray()) {
            assertFalse(none.feed(c));
        }
    }

    @Test
    void searchesDecodedTextPartsNotAttachmentsOrMarkup(@TempDir Path dir) throws Exception {
        String message = String.join("\r\n",
                "Subject: =?ISO-8859-1?Q?=C4pfel?=",
                "X-Folded: first",
                " second",
                "Content-Type: multipart/mixed; boundary=z",
                "",
                "--z",
                "Content-Type: text/plain; charset=iso-8859-1",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "gr=FC=DFe aus K=F6ln, soft=",
                "wrapped",
                "--z",
                "Content-Type: application/octet-stream",
                "Content-Transfer-Encoding: base64",
                "",
                "aGlkZGVuIHRyZWFzdXJl",
                "--z--",
                "");
        Path file = dir.resolve("m");
        Files.write(file, message.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        BodyPart root = CachedStructure.bodyStructure(MessageStructureParser.parse(
                new ByteArrayInputStream(Files.readAllBytes(file))).bodyStructureJson());
        MessageTextScanner scanner = new MessageTextScanner(file);
        assertTrue(scanner.bodyContains(root, "GRÜSSE".toLowerCase().replace("ss", "ß")));
        assertTrue(scanner.bodyContains(root, "köln"));
        assertTrue(scanner.bodyContains(root, "softwrapped"), "soft line breaks are removed");
        assertFalse(scanner.bodyContains(root, "treasure"), "binary attachments are not searched");
        assertFalse(scanner.bodyContains(root, "Äpfel"), "BODY is not the header");
        assertTrue(scanner.textContains(root, "äpfel"), "TEXT includes the decoded header");
        assertTrue(scanner.headerContains("x-folded", "first second"), "unfolded");
        assertTrue(scanner.headerContains("X-Folded", ""));
        assertFalse(scanner.headerContains("X-Missing", ""));
        assertEquals(3, scanner.headerFields().size());
        assertTrue(scanner.bodyContains(null, "K=F6ln"), "without a structure: raw body text");
    }
}
