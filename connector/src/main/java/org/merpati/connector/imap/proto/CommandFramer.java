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
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<byte[]> lines = new ArrayList<>();
    private final List<Literal> literals = new ArrayList<>();
    private long memoryUsed;
    // the literal being read
    private long literalRemaining;
    private long literalSize;
    private boolean literalBinary;
    private ByteArrayOutputStream literalBytes;
    private SpoolFile literalSpool;
    // skipping: the tail of the line being skipped, to see a literal marker at its end
    private final StringBuilder skipTail = new StringBuilder();

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
        lines.clear();
        literals.clear();
        line.reset();
        memoryUsed = 0;
        mode = Mode.LINE;
    }

    /** Whether a command is partly read. */
    public boolean inCommand() {
        return mode != Mode.LINE || line.size() > 0 || !lines.isEmpty();
    }

    private Event line(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                line.reset();
                int len = bytes.length;
                if (len > 0 && bytes[len - 1] == '\r') {
                    len--;
                }
                return endOfLine(java.util.Arrays.copyOf(bytes, len));
            }
            if (line.size() >= maxLineLength) {
                String tag = tagOf(lines.isEmpty() ? line.toByteArray() : lines.get(0));
                abandon();
                startSkipping();
                return new Event.Refused(tag, "BAD line too long");
            }
            line.write(b);
        }
        return null;
    }

    private Event endOfLine(byte[] bytes) {
        LiteralMarker marker = LiteralMarker.find(bytes);
        memoryUsed += bytes.length;
        if (marker == null) {
            lines.add(bytes);
            RawCommand command = new RawCommand(lines, literals);
            lines.clear();
            literals.clear();
            memoryUsed = 0;
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
        lines.clear();
        literals.clear();
        line.reset();
        memoryUsed = 0;
        mode = Mode.LINE;
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
