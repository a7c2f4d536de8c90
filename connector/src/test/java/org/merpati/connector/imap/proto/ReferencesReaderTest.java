package org.merpati.connector.imap.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bounded References header reader used by THREAD=REFERENCES. */
class ReferencesReaderTest {

    private static String read(String message, int bound) throws Exception {
        return ReferencesReader.references(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)), bound);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
        single line               | From: a@x\\r\\nReferences: <1@x> <2@x>\\r\\nSubject: s\\r\\n\\r\\nbody      | <1@x> <2@x>
        folded with CRLF          | References: <1@x>\\r\\n <2@x>\\r\\n\\t<3@x>\\r\\nSubject: s\\r\\n\\r\\nb   | <1@x> <2@x>\\t<3@x>
        folded with bare LF       | References: <1@x>\\n  <2@x>\\nSubject: s\\n\\nb                           | <1@x>  <2@x>
        field name in any case    | rEfErEnCeS : <1@x>\\r\\n\\r\\n                                              | <1@x>
        absent                    | From: a@x\\r\\nIn-Reply-To: <1@x>\\r\\n\\r\\nReferences: <9@x>\\r\\n     | NULL
        first of two fields       | References: <1@x>\\r\\nReferences: <2@x>\\r\\n\\r\\n                        | <1@x>
        header without body       | Subject: s\\r\\nReferences: <1@x>                                         | <1@x>
        similar name is not it    | X-References: <1@x>\\r\\n\\r\\n                                            | NULL
        """)
    void readsTheHeaderField(String name, String message, String expected) throws Exception {
        String raw = message.strip().replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
        assertEquals(expected == null ? null : expected.replace("\\t", "\t"), read(raw, ReferencesReader.MAX_HEADER_BYTES));
    }

    @Test
    void headerBeyondTheBoundIsNotRead() throws Exception {
        String filler = "X-Filler: " + "y".repeat(998) + "\r\n";
        String big = filler.repeat(70) + "References: <1@x>\r\n\r\nbody";
        assertNull(read(big, ReferencesReader.MAX_HEADER_BYTES));
        // a field cut by the bound is not half used
        String cut = "Subject: s\r\nReferences: <1@x> <2@x> <3@x>\r\n\r\n";
        assertNull(read(cut, cut.indexOf("<2@x>")));
        assertEquals("<1@x> <2@x> <3@x>", read(cut, cut.length()));
    }

    @Test
    void unreadableFileIsNoReferences(@TempDir Path dir) throws Exception {
        assertNull(ReferencesReader.references(dir.resolve("missing.eml")));
        assertNull(ReferencesReader.references((Path) null));
        Path file = dir.resolve("m.eml");
        Files.writeString(file, "References: <a@x>\r\n <b@x>\r\n\r\n");
        assertEquals("<a@x> <b@x>", ReferencesReader.references(file));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
        <1@x> <2@x>              | 1@x,2@x
        <1@x>(comment)<2@x>      | 1@x,2@x
        junk <> <1@x> more       | 1@x
        <1@x\t  > <bad           | 1@x
        NULL                     | ''
        """)
    void messageIds(String value, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(","));
        assertEquals(want, ReferencesReader.messageIds(value == null ? null : value.replace("\\t", "\t")));
    }
}
