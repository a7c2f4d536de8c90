package org.merpati.connector.pop3.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageStreamTest {

    @TempDir
    Path dir;

    @Test
    void streamsAFileInChunksNoneLargerThanTwiceTheChunk() throws Exception {
        StringBuilder message = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; i < 2000; i++) {
            message.append(i % 3 == 0 ? ".dotted " : "plain ").append(i).append("\r\n");
        }
        Path file = dir.resolve("m.eml");
        Files.writeString(file, message, StandardCharsets.US_ASCII);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int chunks = 0;
        try (MessageStream stream = new MessageStream(channel, DotStuffingEncoder.ALL_LINES, 512)) {
            byte[] chunk;
            while ((chunk = stream.next()) != null) {
                assertTrue(chunk.length > 0 && chunk.length <= 1024, "chunk of " + chunk.length);
                out.writeBytes(chunk);
                chunks++;
            }
            assertTrue(stream.isEnded());
            assertEquals(out.size(), stream.produced());
        }
        assertTrue(chunks > 10, "read in many chunks: " + chunks);
        assertFalse(channel.isOpen(), "file closed at the end");
        String expected = message.toString().replace("\r\n.", "\r\n..") + ".\r\n";
        assertEquals(expected, out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void topStopsReadingOnceItHasTheLines() throws Exception {
        Path file = dir.resolve("t.eml");
        Files.writeString(file, "A: 1\r\n\r\nb1\r\nb2\r\nb3\r\n", StandardCharsets.US_ASCII);
        try (MessageStream stream = new MessageStream(FileChannel.open(file), 1, 4)) {
            StringBuilder out = new StringBuilder();
            byte[] chunk;
            while ((chunk = stream.next()) != null) {
                out.append(new String(chunk, StandardCharsets.US_ASCII));
            }
            assertEquals("A: 1\r\n\r\nb1\r\n.\r\n", out.toString());
            assertNull(stream.next());
        }
    }
}
