package org.merpati.connector.imap.proto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.merpati.connector.spool.SpoolFile;

/**
 * Cuts the client's byte stream into commands: lines ending in LF (CR optional), each possibly ending with a
 * literal marker ({@code {n}}, {@code {n+}} LITERAL+/LITERAL-, {@code ~{n}} literal8) after which exactly n
 * bytes belong to the same command. Sans-IO: {@link #next} consumes what it can and reports one event.
 *
 * <p>Limits: a line longer than {@code maxLineLength} is answered BAD and skipped to its end; a literal is
 * offered to the {@link LiteralPolicy}, which may refuse it before the continuation request is sent (sync
 * literals) or after (non-sync literals: the bytes are then read and dropped, and so is the rest of the
 * command, so the stream stays in step).
 */
public final class CommandFramer {

    /** What the framer found. */
    public sealed interface Event {
        /** A complete command. */
        record Command(RawCommand command) implements Event {
        }

        /** A synchronizing literal was accepted: the session sends {@code + ...} and feeds more bytes. */
        record ContinuationNeeded(long size) implements Event {
        }

        /**
         * The command was refused before it was complete (bad literal, line too long).
         *
         * @param tag      the tag when one could be read, else null (answer with {@code *})
         * @param response the response after the tag, e.g. {@code BAD line too long}
         */
        record Refused(String tag, String response) implements Event {
        }
    }

    /** How a literal is to be read. */
    public record Decision(SpoolFile spool, String refusal) {
        public static final Decision MEMORY = new Decision(null, null);

        public static Decision spool(SpoolFile file) {
            return new Decision(file, null);
        }

        /** @param response what follows the tag, e.g. {@code NO [TOOBIG] message too large} */
        public static Decision refuse(String response) {
            return new Decision(null, response);
        }
    }

    /** Decides, from the command so far, where a literal goes or whether it is refused. */
    @FunctionalInterface
    public interface LiteralPolicy {
        Decision decide(List<byte[]> linesSoFar, List<Literal> literalsSoFar, long size, boolean nonSync, boolean binary);
    }

    private enum Mode { LINE, LITERAL, SKIP_LINE, SKIP_LITERAL }

    private final int maxLineLength;
    private final long maxCommandMemory;
    private final LiteralPolicy policy;

    private Mode mode = Mode.LINE;
    // the line being read; null between commands, so that an idle connection holds no buffer
    private byte[] line;
    private int lineLength;
    private List<byte[]> lines = new ArrayList<>();
    private List<Literal> literals = new ArrayList<>();
    private long memoryUsed;
    // the literal being read
    private long literalRemaining;
    private long literalSize;
    private boolean literalBinary;
    private ByteArrayOutputStream literalBytes;
    private SpoolFile literalSpool;
    // skipping: the tail of the line being skipped, to see a literal marker at its end
    private final StringBuilder skipTail = new StringBuilder(0);

    /**
     * @param maxLineLength    longest line (without CRLF)
     * @param maxCommandMemory bytes of lines and in-memory literals one command may hold
     */
    public CommandFramer(int maxLineLength, long maxCommandMemory, LiteralPolicy policy) {
        this.maxLineLength = maxLineLength;
        this.maxCommandMemory = maxCommandMemory;
        this.policy = policy;
    }

    /** Consumes bytes until one event; null when {@code in} is used up without one. */
    public Event next(ByteBuffer in) {
        while (in.hasRemaining()) {
            Event event = switch (mode) {
                case LINE -> line(in);
                case LITERAL -> literal(in);
                case SKIP_LINE -> skipLine(in);
                case SKIP_LITERAL -> skipLiteral(in);
            };
            if (event != null) {
                return event;
            }
        }
        return null;
    }

    /** Forgets a partly read command (STARTTLS, disconnect), deleting its spool files. */
    public void reset() {
        if (literalSpool != null) {
            literalSpool.delete();
        }
        for (Literal l : literals) {
            if (l.spool() != null) {
                l.spool().delete();
            }
        }
        literalSpool = null;
        literalBytes = null;
        clear();
    }

    /** Whether a command is partly read. */
    public boolean inCommand() {
        return mode != Mode.LINE || lineLength > 0 || !lines.isEmpty();
    }

    /** Back to waiting for a command, holding nothing (new lists: clear() would keep their arrays). */
    private void clear() {
        lines = new ArrayList<>();
        literals = new ArrayList<>();
        line = null;
        lineLength = 0;
        memoryUsed = 0;
        mode = Mode.LINE;
    }

    private Event line(ByteBuffer in) {
        int start = in.position();
        int end = in.limit();
        int newline = -1;
        for (int i = start; i < end; i++) {
            if (in.get(i) == '\n') {
                newline = i;
                break;
            }
        }
        int take = (newline >= 0 ? newline : end) - start;
        if (take > maxLineLength - lineLength) {
            // the byte after the longest allowed line is read too, as when the line was read byte by byte
            append(in, maxLineLength - lineLength);
            in.get();
            String tag = tagOf(lines.isEmpty() ? java.util.Arrays.copyOf(line, lineLength) : lines.get(0));
            abandon();
            startSkipping();
            return new Event.Refused(tag, "BAD line too long");
        }
        append(in, take);
        if (newline < 0) {
            return null;
        }
        in.get(); // the LF
        int len = lineLength;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        byte[] bytes = len == 0 ? new byte[0] : java.util.Arrays.copyOf(line, len);
        line = null;
        lineLength = 0;
        return endOfLine(bytes);
    }

    private void append(ByteBuffer in, int n) {
        if (n <= 0) {
            return;
        }
        int need = lineLength + n;
        if (line == null || line.length < need) {
            line = java.util.Arrays.copyOf(line == null ? new byte[0] : line, Math.max(need, Math.max(128, lineLength * 2)));
        }
        in.get(line, lineLength, n);
        lineLength += n;
    }

    private Event endOfLine(byte[] bytes) {
        LiteralMarker marker = LiteralMarker.find(bytes);
        memoryUsed += bytes.length;
        if (marker == null) {
            lines.add(bytes);
            RawCommand command = new RawCommand(lines, literals);
            clear();
            return new Event.Command(command);
        }
        lines.add(java.util.Arrays.copyOf(bytes, marker.start()));
        String tag = tagOf(lines.get(0));
        if (marker.size() < 0) {
            abandon();
            return new Event.Refused(tag, "BAD literal size out of range");
        }
        Decision decision = policy.decide(List.copyOf(lines), List.copyOf(literals), marker.size(), marker.nonSync(), marker.binary());
        if (decision.refusal() == null && decision.spool() == null && memoryUsed + marker.size() > maxCommandMemory) {
            decision = Decision.refuse("BAD command too long");
        }
        if (decision.refusal() != null) {
            abandon();
            if (marker.nonSync()) {
                // the client sends the bytes anyway: read and drop them, then the rest of the command
                literalRemaining = marker.size();
                mode = literalRemaining > 0 ? Mode.SKIP_LITERAL : Mode.SKIP_LINE;
                skipTail.setLength(0);
            }
            return new Event.Refused(tag, decision.refusal());
        }
        literalSize = marker.size();
        literalRemaining = marker.size();
        literalBinary = marker.binary();
        literalSpool = decision.spool();
        literalBytes = literalSpool == null ? new ByteArrayOutputStream((int) Math.min(literalSize, 65536)) : null;
        if (literalSpool == null) {
            memoryUsed += literalSize;
        }
        mode = Mode.LITERAL;
        if (literalRemaining == 0) {
            finishLiteral();
        }
        return marker.nonSync() ? null : new Event.ContinuationNeeded(marker.size());
    }

    private Event literal(ByteBuffer in) {
        int n = (int) Math.min(in.remaining(), literalRemaining);
        if (literalSpool != null) {
            if (in.hasArray()) {
                literalSpool.write(in.array(), in.arrayOffset() + in.position(), n);
                in.position(in.position() + n);
            } else {
                byte[] chunk = new byte[n];
                in.get(chunk);
                literalSpool.write(chunk, 0, n);
            }
        } else {
            byte[] chunk = new byte[n];
            in.get(chunk);
            literalBytes.write(chunk, 0, n);
        }
        literalRemaining -= n;
        if (literalRemaining == 0) {
            finishLiteral();
        }
        return null;
    }

    private void finishLiteral() {
        literals.add(new Literal(literalSize, literalBytes == null ? null : literalBytes.toByteArray(), literalSpool, literalBinary));
        literalBytes = null;
        literalSpool = null;
        mode = Mode.LINE;
    }

    private Event skipLiteral(ByteBuffer in) {
        int n = (int) Math.min(in.remaining(), literalRemaining);
        in.position(in.position() + n);
        literalRemaining -= n;
        if (literalRemaining == 0) {
            startSkipping();
        }
        return null;
    }

    private Event skipLine(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                String tail = skipTail.toString().stripTrailing();
                LiteralMarker marker = LiteralMarker.find(tail.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                if (marker != null && marker.nonSync() && marker.size() > 0) {
                    literalRemaining = marker.size();
                    mode = Mode.SKIP_LITERAL;
                } else {
                    mode = Mode.LINE; // end of the dropped command (a sync literal is never sent: no continuation)
                }
                skipTail.setLength(0);
                return null;
            }
            skipTail.append((char) (b & 0xff));
            if (skipTail.length() > 32) {
                skipTail.delete(0, skipTail.length() - 32);
            }
        }
        return null;
    }

    private void startSkipping() {
        mode = Mode.SKIP_LINE;
        skipTail.setLength(0);
    }

    /** Drops the partial command. */
    private void abandon() {
        for (Literal l : literals) {
            if (l.spool() != null) {
                l.spool().delete();
            }
        }
        clear();
    }

    /** The tag at the start of a line if it is a valid tag, else null. */
    static String tagOf(byte[] line) {
        int i = 0;
        while (i < line.length && line[i] != ' ') {
            if (!ImapArgs.isTagChar(line[i])) {
                return null;
            }
            i++;
        }
        return i == 0 || i > 64 ? null : new String(line, 0, i, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A literal marker at the end of a line. */
    record LiteralMarker(int start, long size, boolean nonSync, boolean binary) {

        /** @return the marker, or null; size -1 when the number does not fit */
        static LiteralMarker find(byte[] line) {
            int end = line.length - 1;
            if (end < 2 || line[end] != '}') {
                return null;
            }
            int i = end - 1;
            boolean nonSync = false;
            if (line[i] == '+') {
                nonSync = true;
                i--;
            }
            int digitsEnd = i;
            while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
                i--;
            }
            if (i < 0 || line[i] != '{' || i == digitsEnd) {
                return null;
            }
            int open = i;
            boolean binary = open > 0 && line[open - 1] == '~';
            int start = binary ? open - 1 : open;
            long size = 0;
            for (int d = open + 1; d <= digitsEnd; d++) {
                size = size * 10 + (line[d] - '0');
                if (size > 1L << 40) {
                    size = -1;
                    break;
                }
            }
            return new LiteralMarker(start, size, nonSync, binary);
        }
    }
}
