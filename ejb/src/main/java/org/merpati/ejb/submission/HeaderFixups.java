package org.merpati.ejb.submission;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The changes an MSA makes to a submitted message (RFC 6409 section 8): {@code Message-ID} (8.3) and
 * {@code Date} (8.1) when the client left them out, and the trace field in front. The message is copied
 * byte for byte around them, streaming: fields the author wrote are never changed or reordered, and the
 * added ones go at the end of the header section, where Postfix's cleanup puts them too.
 */
final class HeaderFixups {

    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] CRLF = {'\r', '\n'};

    private HeaderFixups() {
    }

    /** The fields to add at the end of the header section; empty when the author wrote both. */
    static String missingFields(SubmittedHeaders headers, String hostname, ZonedDateTime now) {
        StringBuilder out = new StringBuilder();
        if (!headers.hasDate()) {
            out.append("Date: ").append(RFC_5322.format(now)).append("\r\n");
        }
        if (!headers.hasMessageId()) {
            out.append("Message-ID: ").append(newMessageId(hostname)).append("\r\n");
        }
        return out.toString();
    }

    /** {@code <128 random bits in hex@hostname>}: unique without coordination between nodes. */
    static String newMessageId(String hostname) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String host = hostname == null || hostname.isBlank() ? "localhost" : hostname.replaceAll("[^A-Za-z0-9.\\-]", "");
        return "<" + HexFormat.of().formatHex(random) + "@" + host + ">";
    }

    /**
     * Writes {@code prepend} (trace fields), the message's header section, {@code added} fields, then the rest
     * of the message to {@code target}.
     *
     * @return the bytes written
     */
    static long write(Path spool, SubmittedHeaders headers, String prepend, String added, Path target)
            throws IOException {
        try (InputStream in = Files.newInputStream(spool);
             OutputStream out = Files.newOutputStream(target)) {
            return write(in, headers, prepend, added, out);
        }
    }

    static long write(InputStream in, SubmittedHeaders headers, String prepend, String added, OutputStream out)
            throws IOException {
        long written = 0;
        byte[] front = prepend.getBytes(StandardCharsets.UTF_8);
        out.write(front);
        written += front.length;
        long copied = copy(in, out, headers.headerEnd());
        if (copied != headers.headerEnd()) {
            throw new IOException("message changed while it was read");
        }
        written += copied;
        if (copied > 0 && !headers.lastLineTerminated()) {
            out.write(CRLF);
            written += 2;
        }
        byte[] addedBytes = added.getBytes(StandardCharsets.UTF_8);
        out.write(addedBytes);
        written += addedBytes.length;
        if (headers.emptyLineFollows()) {
            written += in.transferTo(out);
        } else {
            // no empty line after the header: insert one before whatever body there is
            byte[] buffer = new byte[8192];
            int n = in.read(buffer);
            if (n > 0) {
                out.write(CRLF);
                written += 2;
                out.write(buffer, 0, n);
                written += n;
                written += in.transferTo(out);
            }
        }
        return written;
    }

    private static long copy(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[8192];
        long left = count;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        return count - left;
    }
}
