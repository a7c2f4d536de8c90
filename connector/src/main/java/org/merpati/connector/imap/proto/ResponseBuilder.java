package org.merpati.connector.imap.proto;

import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.merpati.connector.api.access.Address;
import org.merpati.connector.api.access.BodyPart;
import org.merpati.connector.api.access.MessageEnvelope;

/**
 * Builds the bytes of a response: strings are quoted when they can be and sent as literals when they must
 * (CR, LF, NUL, long values, and 8-bit text for clients that did not enable UTF-8), mailbox names in
 * modified UTF-7 for those clients, and ENVELOPE / BODYSTRUCTURE from the stored structure.
 */
public final class ResponseBuilder {

    /** Longest value sent as a quoted string; longer ones go as literals. */
    static final int MAX_QUOTED = 1000;

    private final Bytes out = new Bytes();
    private final boolean utf8;

    /** @param utf8 whether the client enabled IMAP4rev2 or UTF8=ACCEPT (8-bit in quoted strings is fine) */
    public ResponseBuilder(boolean utf8) {
        this.utf8 = utf8;
    }

    public ResponseBuilder raw(String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        return this;
    }

    public ResponseBuilder raw(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    public ResponseBuilder sp() {
        out.write(' ');
        return this;
    }

    public ResponseBuilder number(long n) {
        return raw(Long.toString(n));
    }

    public ResponseBuilder crlf() {
        out.write('\r');
        out.write('\n');
        return this;
    }

    /** NIL for null, else a string. */
    public ResponseBuilder nstring(String s) {
        return s == null ? raw("NIL") : string(s);
    }

    /** A quoted string or a literal. */
    public ResponseBuilder string(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        boolean literal = bytes.length > MAX_QUOTED;
        int escapes = 0;
        for (byte b : bytes) {
            if (b == '\r' || b == '\n' || b == 0 || (b < 0 && !utf8)) {
                literal = true;
                break;
            }
            if (b == '"' || b == '\\') {
                escapes++;
            }
        }
        if (literal) {
            raw("{" + bytes.length + "}\r\n");
            return raw(bytes);
        }
        out.write('"');
        if (escapes == 0) {
            out.write(bytes, 0, bytes.length);
        } else {
            for (byte b : bytes) {
                if (b == '"' || b == '\\') {
                    out.write('\\');
                }
                out.write(b);
            }
        }
        out.write('"');
        return this;
    }

    /** An astring: bare atom when possible (flags, keywords). */
    public ResponseBuilder astring(String s) {
        if (!s.isEmpty() && s.chars().allMatch(ImapArgs::isAstringChar)) {
            return raw(s);
        }
        return string(s);
    }

    /** A mailbox name: INBOX bare, others quoted; modified UTF-7 unless UTF-8 is enabled. */
    public ResponseBuilder mailbox(String name) {
        if ("INBOX".equalsIgnoreCase(name)) {
            return raw("INBOX");
        }
        return string(utf8 ? name : ModifiedUtf7.encode(name));
    }

    /** A parenthesised, space separated list of flags. */
    public ResponseBuilder flags(Collection<String> flags) {
        raw("(");
        boolean first = true;
        for (String f : flags) {
            if (!first) {
                sp();
            }
            first = false;
            raw(f);
        }
        return raw(")");
    }

    public int size() {
        return out.size();
    }

    public byte[] toBytes() {
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- ENVELOPE

    /** ENVELOPE (RFC 9051 section 7.5.2). */
    public ResponseBuilder envelope(MessageEnvelope e) {
        raw("(").nstring(e.date()).sp().nstring(e.subject()).sp();
        addresses(e.from()).sp();
        addresses(e.sender().isEmpty() ? e.from() : e.sender()).sp();
        addresses(e.replyTo().isEmpty() ? e.from() : e.replyTo()).sp();
        addresses(e.to()).sp().addresses(e.cc()).sp().addresses(e.bcc()).sp();
        return nstring(e.inReplyTo()).sp().nstring(e.messageId()).raw(")");
    }

    private ResponseBuilder addresses(List<Address> list) {
        if (list.isEmpty()) {
            return raw("NIL");
        }
        raw("(");
        for (Address a : list) {
            raw("(").nstring(a.name()).sp().nstring(a.adl()).sp().nstring(a.mailbox()).sp().nstring(a.host()).raw(")");
        }
        return raw(")");
    }

    // ---------------------------------------------------------------- BODYSTRUCTURE

    /**
     * BODY ({@code extensible} false) or BODYSTRUCTURE ({@code extensible} true) of an entity (RFC 9051
     * section 7.5.2 {@code body}).
     */
    public ResponseBuilder body(BodyPart part, boolean extensible) {
        if (part.isMultipart() && !part.parts().isEmpty()) {
            raw("(");
            for (BodyPart child : part.parts()) {
                body(child, extensible);
            }
            sp().string(part.subtype().toUpperCase(Locale.ROOT));
            if (extensible) {
                sp().params(part.params()).sp().disposition(part).sp().nstring(part.language()).sp().nstring(part.location());
            }
            return raw(")");
        }
        String type = part.isMultipart() ? "text" : part.type();
        String subtype = part.isMultipart() ? "plain" : part.subtype();
        raw("(").string(type.toUpperCase(Locale.ROOT)).sp().string(subtype.toUpperCase(Locale.ROOT)).sp()
            .params(part.params()).sp().nstring(part.id()).sp().nstring(part.description()).sp()
            .string(part.encoding() == null ? "7BIT" : part.encoding().toUpperCase(Locale.ROOT)).sp().number(part.size());
        if (part.isMessage() && part.messageEnvelope() != null) {
            sp().envelope(part.messageEnvelope()).sp().body(part.message(), extensible).sp().number(part.lines());
        } else if ("text".equals(type)) {
            sp().number(part.lines());
        }
        if (extensible) {
            sp().nstring(part.md5()).sp().disposition(part).sp().nstring(part.language()).sp().nstring(part.location());
        }
        return raw(")");
    }

    private ResponseBuilder params(Map<String, String> params) {
        if (params.isEmpty()) {
            return raw("NIL");
        }
        raw("(");
        boolean first = true;
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (!first) {
                sp();
            }
            first = false;
            string(p.getKey().toUpperCase(Locale.ROOT)).sp().string(p.getValue() == null ? "" : p.getValue());
        }
        return raw(")");
    }

    private ResponseBuilder disposition(BodyPart part) {
        if (part.disposition() == null) {
            return raw("NIL");
        }
        return raw("(").string(part.disposition().toUpperCase(Locale.ROOT)).sp().params(part.dispositionParams()).raw(")");
    }

    /**
     * A growable byte array without ByteArrayOutputStream's per-call locking and per-byte capacity checks
     * (a FETCH of envelopes writes one byte at a time for every quote and space).
     */
    private static final class Bytes {
        private byte[] buf = new byte[256];
        private int len;

        void write(int b) {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[len++] = (byte) b;
        }

        void write(byte[] b, int off, int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }

        int size() {
            return len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }
}
