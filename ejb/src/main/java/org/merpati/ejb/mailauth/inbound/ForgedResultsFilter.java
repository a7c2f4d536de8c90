package org.merpati.ejb.mailauth.inbound;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Copies a message, leaving out every Authentication-Results header field that claims our authserv-id (RFC 8601
 * section 5: such fields from outside are forgeries, and readers trust ours). Streams with bounded memory: a
 * header field is held until its end or {@link #MAX_HELD} bytes (the authserv-id comes first, so that is enough
 * to decide), and once the blank line after the header has passed, the body is read straight through.
 */
public final class ForgedResultsFilter extends FilterInputStream {

    /** The most of one header field held before deciding whether to keep it. */
    static final int MAX_HELD = 8 * 1024;

    private final String authservId;
    private final ByteArrayOutputStream field = new ByteArrayOutputStream(256);
    private byte[] pending = new byte[0];
    private int pendingPos;
    private boolean inBody;
    private boolean eof;
    private boolean atLineStart = true;
    /** For the current field once decided: null while undecided. */
    private Boolean dropField;
    private int dropped;

    public ForgedResultsFilter(InputStream in, String authservId) {
        super(new BufferedInputStream(in, 16 * 1024));
        this.authservId = authservId.toLowerCase(Locale.ROOT);
    }

    /** How many fields were left out (for logs and tests). */
    public int droppedFields() {
        return dropped;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pendingPos >= pending.length) {
            if (inBody) {
                return in.read(b, off, len);
            }
            if (eof) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, pending.length - pendingPos);
        System.arraycopy(pending, pendingPos, b, off, n);
        pendingPos += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return pending.length - pendingPos + (inBody ? in.available() : 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads one header line (or a part of an over-long one) and decides what of it to pass on. */
    private void fill() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] line = readLine();
        if (line == null) {
            finishField(out);
            eof = true;
            emit(out);
            return;
        }
        boolean startedLine = atLineStart;
        atLineStart = line[line.length - 1] == '\n';
        if (startedLine && isBlankLine(line)) {
            finishField(out);
            out.write(line, 0, line.length);
            inBody = true;
        } else if (!startedLine || line[0] == ' ' || line[0] == '\t') {
            continueField(line, out); // a continuation line, or the rest of an over-long one
        } else {
            finishField(out);
            field.write(line, 0, line.length);
            decideIfFull(out);
        }
        emit(out);
    }

    private void continueField(byte[] line, ByteArrayOutputStream out) {
        if (dropField == null) {
            field.write(line, 0, line.length);
            decideIfFull(out);
        } else if (!dropField) {
            out.write(line, 0, line.length);
        }
    }

    private void decideIfFull(ByteArrayOutputStream out) {
        if (field.size() >= MAX_HELD) {
            decide(out);
        }
    }

    private void finishField(ByteArrayOutputStream out) {
        if (dropField == null && field.size() > 0) {
            decide(out);
        }
        field.reset();
        dropField = null;
    }

    private void decide(ByteArrayOutputStream out) {
        dropField = claimsOurId(field.toString(StandardCharsets.ISO_8859_1));
        if (dropField) {
            dropped++;
        } else {
            out.write(field.toByteArray(), 0, field.size());
        }
        field.reset();
    }

    private void emit(ByteArrayOutputStream out) {
        pending = out.toByteArray();
        pendingPos = 0;
    }

    /** A line including its LF, at most {@link #MAX_HELD} bytes; null at the end of the input. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            line.write(c);
            if (c == '\n' || line.size() >= MAX_HELD) {
                break;
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static boolean isBlankLine(byte[] line) {
        return (line.length == 1 && line[0] == '\n') || (line.length == 2 && line[0] == '\r' && line[1] == '\n');
    }

    /** Whether a (possibly folded, possibly cut) field is an Authentication-Results field with our authserv-id. */
    boolean claimsOurId(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || !text.substring(0, colon).strip().equalsIgnoreCase(AuthenticationResults.FIELD_NAME)) {
            return false;
        }
        String id = authservId(text.substring(colon + 1).replace("\r", "").replace("\n", ""));
        return id != null && id.toLowerCase(Locale.ROOT).equals(authservId);
    }

    /** The authserv-id at the start of a field value: a token or quoted-string after optional CFWS. */
    static String authservId(String value) {
        if (value == null) {
            return null;
        }
        int i = skipCfws(value, 0);
        if (i >= value.length()) {
            return null;
        }
        if (value.charAt(i) == '"') {
            StringBuilder id = new StringBuilder();
            for (i++; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\\' && i + 1 < value.length()) {
                    id.append(value.charAt(++i));
                } else if (c == '"') {
                    return id.toString();
                } else {
                    id.append(c);
                }
            }
            return id.toString();
        }
        int start = i;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == ';' || c == '(' || c == ' ' || c == '\t') {
                break;
            }
            i++;
        }
        return value.substring(start, i);
    }

    private static int skipCfws(String value, int i) {
        int depth = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (depth > 0) {
                if (c == '\\') {
                    i++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
            } else if (c == '(') {
                depth = 1;
            } else if (c != ' ' && c != '\t') {
                return i;
            }
            i++;
        }
        return i;
    }
}
