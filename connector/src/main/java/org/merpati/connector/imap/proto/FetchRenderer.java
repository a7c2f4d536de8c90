package org.merpati.connector.imap.proto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.merpati.connector.api.access.BodyPart;
import org.merpati.connector.api.access.MessageData;

/**
 * Turns one message's metadata into its FETCH response (RFC 9051 section 7.5.2). Runs off the event loop
 * (it may read a message's header for HEADER.FIELDS and decode a part to learn its BINARY size); bodies are
 * not read here but returned as file ranges for the transport to stream.
 */
public final class FetchRenderer {

    /** A BINARY fetch of a part whose Content-Transfer-Encoding we do not know. */
    public static final class UnknownCteException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnknownCteException(String encoding) {
            super("cannot decode transfer encoding " + encoding, null, false, false);
        }
    }

    static final DateTimeFormatter INTERNAL_DATE =
        DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    /**
     * {@code date-time} in UTC ("01-Jan-2026 09:05:00 +0000"), as {@link #INTERNAL_DATE} formats it but without
     * its per-call parsing of the pattern's fields: FETCH writes one per message.
     */
    static String internalDate(java.time.Instant instant) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return INTERNAL_DATE.format(instant);
        }
        char[] c = "dd-MMM-yyyy HH:mm:ss +0000".toCharArray();
        two(c, 0, t.getDayOfMonth());
        MONTHS[t.getMonthValue() - 1].getChars(0, 3, c, 3);
        two(c, 7, year / 100);
        two(c, 9, year % 100);
        two(c, 12, t.getHour());
        two(c, 15, t.getMinute());
        two(c, 18, t.getSecond());
        return new String(c);
    }

    private static void two(char[] c, int at, int value) {
        c[at] = (char) ('0' + value / 10);
        c[at + 1] = (char) ('0' + value % 10);
    }

    private final boolean utf8;
    private final boolean uidCommand;
    private final boolean modseq;

    /**
     * @param utf8       whether strings may carry UTF-8 in quoted form
     * @param uidCommand whether UID is always included (UID FETCH)
     * @param modseq     whether MODSEQ is always included (CONDSTORE enabled and CHANGEDSINCE or MODSEQ asked)
     */
    public FetchRenderer(boolean utf8, boolean uidCommand, boolean modseq) {
        this.utf8 = utf8;
        this.uidCommand = uidCommand;
        this.modseq = modseq;
    }

    /**
     * @param withFlags whether to add FLAGS though not asked for (the fetch set \Seen)
     */
    public List<ResponsePiece> render(long msn, MessageData m, List<FetchAttribute> attributes, boolean withFlags)
        throws IOException, UnknownCteException {
        Pieces out = new Pieces(utf8);
        out.b.raw("* " + msn + " FETCH (");
        boolean first = true;
        boolean hasUid = attributes.contains(FetchAttribute.Simple.UID);
        boolean hasFlags = attributes.contains(FetchAttribute.Simple.FLAGS);
        boolean hasModseq = attributes.contains(FetchAttribute.Simple.MODSEQ);
        if (uidCommand && !hasUid) {
            out.b.raw("UID " + m.uid());
            first = false;
        }
        if (withFlags && !hasFlags) {
            first = sep(out, first);
            flags(out, m.flags());
        }
        for (FetchAttribute a : attributes) {
            first = sep(out, first);
            item(out, m, a);
        }
        if (modseq && !hasModseq) {
            sep(out, first);
            out.b.raw("MODSEQ (" + m.modseq() + ")");
        }
        out.b.raw(")").crlf();
        return out.finish();
    }

    private static boolean sep(Pieces out, boolean first) {
        if (!first) {
            out.b.sp();
        }
        return false;
    }

    private static void flags(Pieces out, Set<String> flags) {
        out.b.raw("FLAGS ").flags(flags);
    }

    private void item(Pieces out, MessageData m, FetchAttribute a) throws IOException, UnknownCteException {
        ResponseBuilder b = out.b;
        if (a instanceof FetchAttribute.Simple s) {
            switch (s) {
                case FLAGS -> flags(out, m.flags());
                case UID -> b.raw("UID " + m.uid());
                case INTERNALDATE -> b.raw("INTERNALDATE \"" + internalDate(m.internalDate()) + "\"");
                case RFC822_SIZE -> b.raw("RFC822.SIZE " + m.size());
                case ENVELOPE -> {
                    b.raw("ENVELOPE ");
                    if (m.envelope() == null) {
                        b.raw("(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)");
                    } else {
                        b.envelope(m.envelope());
                    }
                }
                case BODY, BODYSTRUCTURE -> {
                    b.raw(s == FetchAttribute.Simple.BODY ? "BODY " : "BODYSTRUCTURE ");
                    b.body(structure(m), s == FetchAttribute.Simple.BODYSTRUCTURE);
                }
                case MODSEQ -> b.raw("MODSEQ (" + m.modseq() + ")");
                case EMAILID -> b.raw("EMAILID (" + m.emailId() + ")");
                case THREADID -> b.raw(m.threadId() == null ? "THREADID NIL" : "THREADID (" + m.threadId() + ")");
                case SAVEDATE -> b.raw(m.savedDate() == null ? "SAVEDATE NIL" : "SAVEDATE \"" + internalDate(m.savedDate()) + "\"");
                case RFC822 -> section(out, m, "RFC822", BodySection.WHOLE, null);
                case RFC822_HEADER -> section(out, m, "RFC822.HEADER", new BodySection(List.of(), "HEADER", List.of()), null);
                case RFC822_TEXT -> section(out, m, "RFC822.TEXT", new BodySection(List.of(), "TEXT", List.of()), null);
                default -> throw new IllegalStateException(s.name());
            }
        } else if (a instanceof FetchAttribute.Section s) {
            String name = "BODY[" + s.section() + "]" + (s.partial() == null ? "" : "<" + s.partial().offset() + ">");
            section(out, m, name, s.section(), s.partial());
        } else if (a instanceof FetchAttribute.Binary bin) {
            binary(out, m, bin);
        } else if (a instanceof FetchAttribute.BinarySize size) {
            BodyPart part = binaryPart(m, size.path());
            b.raw("BINARY.SIZE[" + path(size.path()) + "] ");
            if (part == null) {
                b.raw("0");
            } else {
                b.number(decodedSize(m, part, size.path()));
            }
        }
    }

    private static BodyPart structure(MessageData m) {
        if (m.structure() != null) {
            return m.structure();
        }
        // no structure stored: describe the message as one text part
        return new BodyPart("text", "plain", java.util.Map.of("charset", "us-ascii"), null, null, "7bit", m.size(), 0,
            null, null, java.util.Map.of(), null, null, 0, 0, List.of(), null, null);
    }

    private void section(Pieces out, MessageData m, String name, BodySection section, FetchAttribute.Partial partial)
        throws IOException {
        out.b.raw(name).sp();
        Path file = Path.of(m.blobPath());
        SectionResolver.Content content;
        if (section.path().isEmpty() && section.text() == null) {
            content = new SectionResolver.Content.Range(0, m.size());
        } else {
            content = SectionResolver.resolve(structure(m), m.size(), section, (off, len) -> readRange(file, off, len));
        }
        if (content == null) {
            out.b.raw("NIL");
            return;
        }
        long start = partial == null ? 0 : Math.min(partial.offset(), content.length());
        long length = partial == null ? content.length() : Math.min(partial.length(), content.length() - start);
        out.b.raw("{" + length + "}\r\n");
        if (content instanceof SectionResolver.Content.Bytes bytes) {
            out.b.raw(java.util.Arrays.copyOfRange(bytes.bytes(), (int) start, (int) (start + length)));
        } else {
            SectionResolver.Content.Range range = (SectionResolver.Content.Range) content;
            out.file(file, range.offset() + start, length);
        }
    }

    private BodyPart binaryPart(MessageData m, List<Integer> path) {
        return path.isEmpty() ? structure(m) : SectionResolver.part(structure(m), path);
    }

    private void binary(Pieces out, MessageData m, FetchAttribute.Binary bin) throws IOException, UnknownCteException {
        String name = "BINARY[" + path(bin.path()) + "]" + (bin.partial() == null ? "" : "<" + bin.partial().offset() + ">");
        out.b.raw(name).sp();
        BodyPart part = binaryPart(m, bin.path());
        if (part == null) {
            out.b.raw("NIL");
            return;
        }
        Path file = Path.of(m.blobPath());
        long rawOffset = bin.path().isEmpty() ? 0 : part.bodyOffset();
        long rawLength = bin.path().isEmpty() ? m.size() : part.size();
        String encoding = bin.path().isEmpty() || part.isMultipart() || part.isMessage() ? "binary" : part.encoding();
        if (!TransferDecoding.supported(encoding)) {
            throw new UnknownCteException(encoding);
        }
        long decoded = TransferDecoding.identity(encoding) ? rawLength : decodedLength(file, rawOffset, rawLength, encoding);
        long start = bin.partial() == null ? 0 : Math.min(bin.partial().offset(), decoded);
        long length = bin.partial() == null ? decoded : Math.min(bin.partial().length(), decoded - start);
        out.b.raw("~{" + length + "}\r\n");
        if (TransferDecoding.identity(encoding)) {
            out.file(file, rawOffset + start, length);
        } else {
            out.decoded(file, rawOffset, rawLength, encoding, start, length);
        }
    }

    private long decodedSize(MessageData m, BodyPart part, List<Integer> path) throws IOException, UnknownCteException {
        if (path.isEmpty()) {
            return m.size();
        }
        String encoding = part.isMultipart() || part.isMessage() ? "binary" : part.encoding();
        if (!TransferDecoding.supported(encoding)) {
            throw new UnknownCteException(encoding);
        }
        return TransferDecoding.identity(encoding) ? part.size()
            : decodedLength(Path.of(m.blobPath()), part.bodyOffset(), part.size(), encoding);
    }

    private static long decodedLength(Path file, long offset, long length, String encoding) throws IOException {
        try (InputStream in = openRange(file, offset, length)) {
            return TransferDecoding.decodedLength(in, encoding);
        }
    }

    /** A stream over a range of a file. */
    public static InputStream openRange(Path file, long offset, long length) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(offset);
        InputStream raw = Channels.newInputStream(ch);
        return new InputStream() {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int c = raw.read();
                if (c >= 0) {
                    left--;
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int r = raw.read(b, off, (int) Math.min(len, left));
                if (r > 0) {
                    left -= r;
                }
                return r;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    static byte[] readRange(Path file, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    break;
                }
            }
            return java.util.Arrays.copyOf(buf.array(), buf.position());
        }
    }

    private static String path(List<Integer> path) {
        return String.join(".", path.stream().map(String::valueOf).toList());
    }

    /** Collects text into a builder and cuts a piece wherever a file range goes in between. */
    private static final class Pieces {
        final boolean utf8;
        ResponseBuilder b;
        final List<ResponsePiece> pieces = new ArrayList<>();

        Pieces(boolean utf8) {
            this.utf8 = utf8;
            this.b = new ResponseBuilder(utf8);
        }

        void cut() {
            if (b.size() > 0) {
                pieces.add(new ResponsePiece.Bytes(b.toBytes()));
                b = new ResponseBuilder(utf8);
            }
        }

        void file(Path file, long offset, long length) {
            if (length > 0) {
                cut();
                pieces.add(new ResponsePiece.FileRange(file, offset, length));
            }
        }

        void decoded(Path file, long offset, long rawLength, String encoding, long skip, long length) {
            if (length > 0) {
                cut();
                pieces.add(new ResponsePiece.Decoded(file, offset, rawLength, encoding, skip, length));
            }
        }

        List<ResponsePiece> finish() {
            cut();
            return pieces;
        }
    }
}
