package org.merpati.ejb.submission;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.merpati.connector.api.access.Address;
import org.merpati.ejb.mime.AddressListParser;

/**
 * What submission needs to know about a message's header section, read in one streaming pass: where the
 * section ends, the {@code From:} and {@code Sender:} values (unfolded), and whether {@code Message-ID:} and
 * {@code Date:} are present. Other fields are skipped without being kept, so memory stays bounded whatever the
 * header holds; kept values are cut at {@link #MAX_KEPT_CHARS}, which marks the scan {@link #oversized()}.
 *
 * <p>The section ends at the empty line, at the end of the message (a header-only message), or — lenient like
 * Postfix's cleanup — at the first line that is neither a field nor a continuation; the writer then inserts the
 * empty line so the structure is explicit.
 *
 * @param headerEnd          offset of the first byte after the header fields (the empty line, the first body
 *                           line, or the end of the message)
 * @param emptyLineFollows   whether an empty line starts at {@code headerEnd}
 * @param lastLineTerminated whether the last header line ends in LF (false only for a message ending in the
 *                           middle of its last header line)
 * @param from               values of every {@code From:} field
 * @param sender             values of every {@code Sender:} field
 * @param hasMessageId       whether a {@code Message-ID:} field exists (even empty: it is the author's)
 * @param hasDate            whether a {@code Date:} field exists
 * @param oversized          whether a kept value exceeded {@link #MAX_KEPT_CHARS}
 */
record SubmittedHeaders(long headerEnd, boolean emptyLineFollows, boolean lastLineTerminated, List<String> from,
                        List<String> sender, boolean hasMessageId, boolean hasDate, boolean oversized) {

    /** Bound on the kept From:/Sender: text, and on the bytes of one line looked at. */
    static final int MAX_KEPT_CHARS = 32 * 1024;
    /** More mailboxes than this in From: and Sender: together are refused (and bound the ownership checks). */
    static final int MAX_AUTHORS = 100;

    SubmittedHeaders {
        from = List.copyOf(from);
        sender = List.copyOf(sender);
    }

    /** The authors named by the header, or why they cannot be judged. */
    record Authors(List<String> from, List<String> sender, String problem) {

        Authors {
            from = List.copyOf(from);
            sender = List.copyOf(sender);
        }

        /** Every mailbox the account must be allowed to use: From: then Sender:. */
        List<String> all() {
            List<String> all = new ArrayList<>(from);
            all.addAll(sender);
            return all;
        }
    }

    /**
     * The mailboxes of From: and Sender:. Group syntax (RFC 6854) contributes its members; an empty group
     * names nobody. Problems: no From: field, a From: that names no mailbox, a mailbox without a domain, too
     * many mailboxes, an oversized field.
     */
    Authors authors() {
        if (oversized) {
            return new Authors(List.of(), List.of(), "From or Sender header field too long");
        }
        if (from.isEmpty()) {
            return new Authors(List.of(), List.of(), "Message has no From header field");
        }
        List<String> fromBoxes = new ArrayList<>();
        List<String> senderBoxes = new ArrayList<>();
        String problem = mailboxes(from, fromBoxes);
        if (problem == null) {
            problem = mailboxes(sender, senderBoxes);
        }
        if (problem == null && fromBoxes.isEmpty()) {
            problem = "From header field names no mailbox";
        }
        if (problem == null && fromBoxes.size() + senderBoxes.size() > MAX_AUTHORS) {
            problem = "Too many addresses in From and Sender header fields";
        }
        return new Authors(fromBoxes, senderBoxes, problem);
    }

    private static String mailboxes(List<String> values, List<String> out) {
        for (String value : values) {
            List<Address> parsed = AddressListParser.parse(value);
            if (parsed.size() > MAX_AUTHORS * 2) {
                return "Too many addresses in From and Sender header fields";
            }
            for (Address a : parsed) {
                if (a.host() == null) {
                    continue; // group start or end marker
                }
                if (a.mailbox() == null || AddressListParser.MISSING_HOST.equals(a.host())) {
                    return "Malformed address in From or Sender header field";
                }
                out.add(a.mailbox() + "@" + a.host());
            }
        }
        return null;
    }

    static SubmittedHeaders scan(InputStream in) throws IOException {
        Scanner scanner = new Scanner(in);
        return scanner.run();
    }

    /** One pass over the header lines. */
    private static final class Scanner {
        private final InputStream in;
        private final byte[] line = new byte[MAX_KEPT_CHARS];
        private int kept;      // bytes of the current line in {@code line}
        private long length;   // real length of the current line, LF included
        private boolean terminated;

        private final List<String> from = new ArrayList<>();
        private final List<String> sender = new ArrayList<>();
        private boolean hasMessageId;
        private boolean hasDate;
        private boolean oversized;
        /** The kept field being unfolded (From or Sender), or null. */
        private StringBuilder value;
        private List<String> valueTarget;
        private boolean inField;

        Scanner(InputStream in) {
            this.in = in;
        }

        SubmittedHeaders run() throws IOException {
            long offset = 0;
            boolean lastTerminated = true;
            while (true) {
                readLine();
                if (length == 0) {
                    finishField();
                    return result(offset, false, lastTerminated);
                }
                if (isEmptyLine()) {
                    finishField();
                    return result(offset, true, true);
                }
                byte first = line[0];
                if (first == ' ' || first == '\t') {
                    if (!inField) {
                        finishField();
                        return result(offset, false, lastTerminated); // leading whitespace: no header at all
                    }
                    continueField();
                } else {
                    int colon = fieldNameEnd();
                    if (colon < 0) {
                        finishField();
                        return result(offset, false, lastTerminated);
                    }
                    finishField();
                    startField(colon);
                }
                offset += length;
                lastTerminated = terminated;
            }
        }

        private SubmittedHeaders result(long end, boolean emptyLine, boolean lastTerminated) {
            return new SubmittedHeaders(end, emptyLine, lastTerminated, from, sender, hasMessageId, hasDate, oversized);
        }

        /** Reads up to and including LF; keeps at most the buffer's size. */
        private void readLine() throws IOException {
            kept = 0;
            length = 0;
            terminated = false;
            int b;
            while ((b = in.read()) >= 0) {
                length++;
                if (kept < line.length) {
                    line[kept++] = (byte) b;
                }
                if (b == '\n') {
                    terminated = true;
                    return;
                }
            }
        }

        private boolean isEmptyLine() {
            return (length == 2 && line[0] == '\r' && line[1] == '\n') || (length == 1 && line[0] == '\n');
        }

        /** Index of the colon after a field name (printable ASCII, obsolete whitespace before the colon), or -1. */
        private int fieldNameEnd() {
            boolean name = false;
            boolean trailingSpace = false;
            for (int i = 0; i < kept; i++) {
                int c = line[i] & 0xff;
                if (c == ':') {
                    return name ? i : -1;
                }
                if (c == ' ' || c == '\t') {
                    trailingSpace = name;
                    continue;
                }
                if (c < 33 || c > 126 || trailingSpace) {
                    return -1;
                }
                name = true;
            }
            return -1;
        }

        private void startField(int colon) {
            inField = true;
            String name = new String(line, 0, colon, StandardCharsets.US_ASCII).trim();
            if (name.equalsIgnoreCase("Message-ID")) {
                hasMessageId = true;
            } else if (name.equalsIgnoreCase("Date")) {
                hasDate = true;
            } else if (name.equalsIgnoreCase("From")) {
                valueTarget = from;
            } else if (name.equalsIgnoreCase("Sender")) {
                valueTarget = sender;
            }
            if (valueTarget != null) {
                value = new StringBuilder();
                append(colon + 1);
            }
        }

        private void continueField() {
            if (value != null) {
                append(0);
            }
        }

        /** Appends the current line from {@code from}, without its line end, within the bound. */
        private void append(int start) {
            int end = kept;
            if (length > kept) {
                oversized = true;
            }
            while (end > start && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
                end--;
            }
            String text = decode(line, start, end - start);
            if (value.length() + text.length() > MAX_KEPT_CHARS) {
                oversized = true;
                return;
            }
            value.append(text);
        }

        private void finishField() {
            if (value != null) {
                valueTarget.add(value.toString().trim());
            }
            value = null;
            valueTarget = null;
            inField = false;
        }

        /** Headers are ASCII or UTF-8 (RFC 6532); anything else is read as Latin-1 rather than lost. */
        private static String decode(byte[] bytes, int offset, int count) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, offset, count)).toString();
            } catch (CharacterCodingException e) {
                return new String(bytes, offset, count, StandardCharsets.ISO_8859_1);
            }
        }
    }
}
