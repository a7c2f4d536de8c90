package org.merpati.connector.imap.proto;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tokens of one {@link RawCommand} (RFC 9051 section 9 grammar): atoms, numbers, quoted strings,
 * literals (which sit between the command's lines), astrings and parenthesised lists. Every reader throws
 * {@link ImapSyntaxException} on a mismatch, so a parser is a straight sequence of calls.
 */
public final class ImapArgs {

    /** Deepest nesting of parentheses accepted (SEARCH, FETCH, BODY sections). */
    public static final int MAX_DEPTH = 16;

    private final RawCommand command;
    private int lineIndex;
    private byte[] line;
    private int pos;
    private int depth;

    public ImapArgs(RawCommand command) {
        this.command = command;
        this.line = command.lines().get(0);
    }

    // ---------------------------------------------------------------- character classes

    static boolean isAtomChar(int c) {
        return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"'
            && c != '\\' && c != ']';
    }

    static boolean isAstringChar(int c) {
        return isAtomChar(c) || c == ']';
    }

    static boolean isTagChar(int c) {
        return isAstringChar(c) && c != '+';
    }

    /** LIST patterns may also hold the wildcards. */
    static boolean isListChar(int c) {
        return isAstringChar(c) || c == '%' || c == '*';
    }

    // ---------------------------------------------------------------- position

    /** Next byte of the current line, or -1 at its end (where a literal or the end of the command follows). */
    public int peek() {
        return pos < line.length ? line[pos] & 0xff : -1;
    }

    private boolean literalHere() {
        return pos >= line.length && lineIndex < command.literals().size();
    }

    /** Whether everything has been read. */
    public boolean atEnd() {
        return pos >= line.length && lineIndex >= command.literals().size();
    }

    public void end() throws ImapSyntaxException {
        if (!atEnd()) {
            throw new ImapSyntaxException("unexpected characters at end of command");
        }
    }

    public void sp() throws ImapSyntaxException {
        expect(' ');
    }

    /** Consumes a space if one follows. */
    public boolean optionalSp() {
        if (peek() == ' ') {
            pos++;
            return true;
        }
        return false;
    }

    public void expect(char c) throws ImapSyntaxException {
        if (peek() != c) {
            throw new ImapSyntaxException("expected '" + c + "'");
        }
        pos++;
    }

    /** Consumes {@code c} if it is next. */
    public boolean consume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Opens a parenthesised list, counting depth. */
    public void open() throws ImapSyntaxException {
        expect('(');
        if (++depth > MAX_DEPTH) {
            throw new ImapSyntaxException("too deeply nested");
        }
    }

    public boolean tryOpen() throws ImapSyntaxException {
        if (peek() == '(') {
            open();
            return true;
        }
        return false;
    }

    public void close() throws ImapSyntaxException {
        expect(')');
        depth--;
    }

    public boolean tryClose() {
        if (peek() == ')') {
            pos++;
            depth--;
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- tokens

    /** A tag (ASTRING-CHAR except '+'). */
    public String tag() throws ImapSyntaxException {
        int start = pos;
        while (pos < line.length && isTagChar(line[pos] & 0xff)) {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("missing tag");
        }
        return ascii(start, pos);
    }

    /** An atom. */
    public String atom() throws ImapSyntaxException {
        int start = pos;
        while (pos < line.length && isAtomChar(line[pos] & 0xff)) {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("expected an atom");
        }
        return ascii(start, pos);
    }

    /** An atom up to (not including) '[' or '&lt;', for FETCH attribute names such as {@code BODY.PEEK[}. */
    public String fetchAttName() throws ImapSyntaxException {
        int start = pos;
        while (pos < line.length && isAtomChar(line[pos] & 0xff) && line[pos] != '[' && line[pos] != '<') {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("expected a fetch attribute");
        }
        return ascii(start, pos);
    }

    /** Characters of an atom-like run that may include the given extra characters. */
    public String run(String extra) throws ImapSyntaxException {
        int start = pos;
        while (pos < line.length && (isAtomChar(line[pos] & 0xff) || extra.indexOf(line[pos]) >= 0)) {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("expected an atom");
        }
        return ascii(start, pos);
    }

    public long number() throws ImapSyntaxException {
        int start = pos;
        long n = 0;
        while (pos < line.length && line[pos] >= '0' && line[pos] <= '9') {
            n = n * 10 + (line[pos] - '0');
            if (n > 0xffffffffL * 0x10000L) {
                throw new ImapSyntaxException("number too large");
            }
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("expected a number");
        }
        return n;
    }

    public long nzNumber() throws ImapSyntaxException {
        long n = number();
        if (n == 0) {
            throw new ImapSyntaxException("expected a non-zero number");
        }
        return n;
    }

    /** A quoted string or literal, as UTF-8 text. */
    public String string() throws ImapSyntaxException {
        if (peek() == '"') {
            return quoted();
        }
        if (literalHere()) {
            return utf8(nextLiteral().data());
        }
        throw new ImapSyntaxException("expected a string");
    }

    /** A literal (for APPEND: may be spooled). */
    public Literal literal() throws ImapSyntaxException {
        if (!literalHere()) {
            throw new ImapSyntaxException("expected a literal");
        }
        return nextLiteral();
    }

    public boolean literalNext() {
        return literalHere();
    }

    /** An astring: atom (with ']'), quoted string or literal. */
    public String astring() throws ImapSyntaxException {
        if (peek() == '"' || literalHere()) {
            return string();
        }
        int start = pos;
        while (pos < line.length && isAstringChar(line[pos] & 0xff)) {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("expected a string");
        }
        return ascii(start, pos);
    }

    /** nstring: NIL or a string. */
    public String nstring() throws ImapSyntaxException {
        if (peekAtom("NIL")) {
            pos += 3;
            return null;
        }
        return string();
    }

    /** A LIST pattern: list-mailbox (atom chars plus wildcards) or a string. */
    public String listMailbox() throws ImapSyntaxException {
        if (peek() == '"' || literalHere()) {
            return string();
        }
        int start = pos;
        while (pos < line.length && isListChar(line[pos] & 0xff)) {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("expected a mailbox pattern");
        }
        return ascii(start, pos);
    }

    /** A parenthesised list of astrings (flag lists, header field names). */
    public List<String> flagList() throws ImapSyntaxException {
        open();
        List<String> items = new ArrayList<>();
        if (tryClose()) {
            return items;
        }
        while (true) {
            if (peek() == '\\') {
                pos++;
                items.add("\\" + atom());
            } else {
                items.add(astring());
            }
            if (tryClose()) {
                return items;
            }
            sp();
        }
    }

    /** Whether the next characters are the atom {@code word}, case-insensitive, followed by a delimiter. */
    public boolean peekAtom(String word) {
        int end = pos + word.length();
        if (end > line.length) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.toUpperCase((char) line[pos + i]) != word.charAt(i)) {
                return false;
            }
        }
        return end == line.length || !isAtomChar(line[end] & 0xff);
    }

    /** Consumes the atom {@code word} if it follows. */
    public boolean consumeAtom(String word) {
        if (peekAtom(word)) {
            pos += word.length();
            return true;
        }
        return false;
    }

    /** The rest of the current line, for diagnostics and DONE. */
    public String rest() {
        String s = ascii(pos, line.length);
        pos = line.length;
        return s;
    }

    private String quoted() throws ImapSyntaxException {
        pos++;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while (true) {
            if (pos >= line.length) {
                throw new ImapSyntaxException("unterminated quoted string");
            }
            int c = line[pos++] & 0xff;
            if (c == '"') {
                return utf8(out.toByteArray());
            }
            if (c == '\\') {
                if (pos >= line.length || (line[pos] != '"' && line[pos] != '\\')) {
                    throw new ImapSyntaxException("bad escape in quoted string");
                }
                c = line[pos++];
            } else if (c == '\r' || c == '\n' || c == 0) {
                throw new ImapSyntaxException("bad character in quoted string");
            }
            out.write(c);
        }
    }

    private Literal nextLiteral() throws ImapSyntaxException {
        Literal literal = command.literals().get(lineIndex);
        lineIndex++;
        line = command.lines().get(lineIndex);
        pos = 0;
        return literal;
    }

    private String ascii(int start, int end) {
        return new String(line, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static String utf8(byte[] bytes) throws ImapSyntaxException {
        if (bytes == null) {
            throw new ImapSyntaxException("literal too large for a string");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ImapSyntaxException("string is not valid UTF-8");
        }
    }
}
