package org.merpati.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Looks into the blob store on disk to prove that what was accepted is what was stored: a stored message is
 * the received bytes with the server's trace headers (Return-Path, Received) in front, nothing else changed.
 */
final class StoredMessages {

    private StoredMessages() {
    }

    static List<Path> blobs(Path dataDir) {
        Path root = dataDir.resolve("blobs");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the stored blob whose content is trace headers + exactly {@code sent}, or null */
    static byte[] findStored(Path dataDir, byte[] sent) {
        for (Path p : blobs(dataDir)) {
            try {
                byte[] stored = Files.readAllBytes(p);
                if (stored.length < sent.length) {
                    continue;
                }
                byte[] tail = Arrays.copyOfRange(stored, stored.length - sent.length, stored.length);
                if (Arrays.equals(tail, sent) && onlyTraceHeaders(Arrays.copyOf(stored, stored.length - sent.length))) {
                    return stored;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return null;
    }

    /**
     * The prefix consists of trace fields only: Return-Path, Received and this server's Authentication-Results
     * (RFC 8601 section 2.1: a trace field, added on top), with folded continuation lines.
     */
    static boolean onlyTraceHeaders(byte[] prefix) {
        String s = new String(prefix, StandardCharsets.ISO_8859_1);
        if (!s.endsWith("\r\n")) {
            return false;
        }
        for (String line : s.substring(0, s.length() - 2).split("\r\n", -1)) {
            boolean continuation = line.startsWith(" ") || line.startsWith("\t");
            if (!continuation && !line.startsWith("Return-Path:") && !line.startsWith("Received:")
                    && !line.startsWith("Authentication-Results:")) {
                return false;
            }
        }
        return true;
    }
}
