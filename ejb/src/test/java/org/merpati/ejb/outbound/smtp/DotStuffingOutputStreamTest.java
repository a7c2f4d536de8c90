package org.merpati.ejb.outbound.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DotStuffingOutputStreamTest {

    private static String stuff(String input, int chunk) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(wire);
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            out.write(bytes, i, Math.min(chunk, bytes.length - i));
        }
        out.finish();
        return wire.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // input (\r \n written as such) | wire
        "Subject: x\\r\\n\\r\\nbody\\r\\n|Subject: x\\r\\n\\r\\nbody\\r\\n.\\r\\n",
        // a line that is a single dot
        "a\\r\\n.\\r\\nb\\r\\n|a\\r\\n..\\r\\nb\\r\\n.\\r\\n",
        // dots at the start of lines, not elsewhere
        ".first\\r\\nmid.dle\\r\\n..two\\r\\n|..first\\r\\nmid.dle\\r\\n...two\\r\\n.\\r\\n",
        // file not ending in CRLF
        "no newline at end|no newline at end\\r\\n.\\r\\n",
        "ends with dot\\r\\n.|ends with dot\\r\\n..\\r\\n.\\r\\n",
        // bare LF and bare CR become CRLF
        "unix\\nlines\\n.dot\\n|unix\\r\\nlines\\r\\n..dot\\r\\n.\\r\\n",
        "old\\rmac\\r|old\\r\\nmac\\r\\n.\\r\\n",
        // empty message
        "|.\\r\\n",
        // 8bit passes unchanged
        "Grüße\\r\\n|Grüße\\r\\n.\\r\\n"})
    void stuffs(String input, String wire) throws IOException {
        String in = unescape(input == null ? "" : input);
        String expected = unescape(wire);
        for (int chunk : new int[] {1, 2, 3, 7, 1 << 16}) {
            assertEquals(expected, stuff(in, chunk), "written in chunks of " + chunk);
        }
    }

    @Test
    void singleByteWrites() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(wire);
        for (byte b : ".\r\n.".getBytes(StandardCharsets.US_ASCII)) {
            out.write(b);
        }
        out.close();
        assertEquals("..\r\n..\r\n.\r\n", wire.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void noWritesAfterFinish() throws IOException {
        DotStuffingOutputStream out = new DotStuffingOutputStream(new ByteArrayOutputStream());
        out.finish();
        out.finish(); // idempotent
        assertThrows(IOException.class, () -> out.write('x'));
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }
}
