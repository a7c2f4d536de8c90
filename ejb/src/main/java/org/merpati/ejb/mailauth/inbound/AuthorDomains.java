package org.merpati.ejb.mailauth.inbound;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.merpati.connector.api.access.Address;
import org.merpati.ejb.mime.AddressListParser;

/**
 * The RFC5322.From domains DMARC judges (RFC 7489 section 6.6.1), read from the message's header only.
 *
 * @param fromFields how many From fields the header has (RFC 5322 requires exactly one)
 * @param domains    the distinct domains of the addresses in the From field, lower case, in order
 */
public record AuthorDomains(int fromFields, List<String> domains) {

    /** The most header bytes read; a header longer than that is judged by its first part. */
    static final int MAX_HEADER = 1024 * 1024;
    /** The most of one From field kept. */
    static final int MAX_FIELD = 16 * 1024;

    /** Exactly one From field with at least one address that has a domain. */
    public boolean usable() {
        return fromFields == 1 && !domains.isEmpty();
    }

    public static AuthorDomains read(Path message) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(message), 16 * 1024)) {
            return read(in);
        }
    }

    static AuthorDomains read(InputStream in) throws IOException {
        List<String> fromValues = new ArrayList<>();
        ByteArrayOutputStream current = null; // the From field being read, or null
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int total = 0;
        int c;
        while (total < MAX_HEADER && (c = in.read()) >= 0) {
            total++;
            if (c != '\n') {
                if (line.size() < MAX_FIELD) {
                    line.write(c);
                }
                continue;
            }
            byte[] bytes = line.toByteArray();
            line.reset();
            int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            if (length == 0) {
                break; // end of the header
            }
            if (bytes[0] == ' ' || bytes[0] == '\t') {
                if (current != null && current.size() < MAX_FIELD) {
                    current.write(bytes, 0, length);
                }
                continue;
            }
            if (current != null) {
                fromValues.add(decode(current.toByteArray()));
                current = null;
            }
            String start = new String(bytes, 0, Math.min(length, 8), StandardCharsets.ISO_8859_1);
            if (start.toLowerCase(Locale.ROOT).startsWith("from") && isFromField(bytes, length)) {
                current = new ByteArrayOutputStream(128);
                int colon = indexOf(bytes, (byte) ':');
                current.write(bytes, colon + 1, length - colon - 1);
            }
        }
        if (current != null) {
            fromValues.add(decode(current.toByteArray()));
        }
        Set<String> domains = new LinkedHashSet<>();
        if (fromValues.size() == 1) {
            for (Address address : AddressListParser.parse(fromValues.get(0))) {
                String host = address.host();
                if (host == null || host.isBlank() || host.equals(AddressListParser.MISSING_HOST)) {
                    continue;
                }
                String domain = host.strip().toLowerCase(Locale.ROOT);
                if (domain.endsWith(".")) {
                    domain = domain.substring(0, domain.length() - 1);
                }
                if (!domain.isEmpty() && !domain.startsWith("[")) {
                    domains.add(domain);
                }
            }
        }
        return new AuthorDomains(fromValues.size(), List.copyOf(domains));
    }

    /** "From" then optional whitespace then ":" (not "From-Foo:" or the mbox "From " line). */
    private static boolean isFromField(byte[] bytes, int length) {
        int i = 4;
        while (i < length && (bytes[i] == ' ' || bytes[i] == '\t')) {
            i++;
        }
        return i < length && bytes[i] == ':';
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
