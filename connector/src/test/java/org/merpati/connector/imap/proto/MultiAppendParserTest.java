package org.merpati.connector.imap.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.merpati.connector.api.access.SearchKey;
import org.merpati.connector.spool.SpoolDirectory;

/**
 * MULTIAPPEND (RFC 3502) framing and parsing: every message with its own optional flags and date, any literal
 * kind, each spooled to its own file; a malformed later message makes the whole command a syntax error whose
 * spool files can be discarded.
 */
class MultiAppendParserTest {

    private static final ImapCommandParser.Context CONTEXT = new ImapCommandParser.Context(false,
        (set, uid) -> new SearchKey.Uids(set.resolve(10)));

    @TempDir
    Path dir;

    /** Frames the input with every literal after the mailbox spooled, as the session does for APPEND. */
    private RawCommand frame(String input) {
        SpoolDirectory spool = new SpoolDirectory(dir);
        CommandFramer framer = new CommandFramer(1000, 4000, (lines, literals, size, nonSync, binary) -> {
            try {
                return CommandFramer.Decision.spool(spool.create());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ByteBuffer in = ByteBuffer.wrap(input.getBytes(StandardCharsets.ISO_8859_1));
        CommandFramer.Event event;
        while ((event = framer.next(in)) != null) {
            if (event instanceof CommandFramer.Event.Command command) {
                return command.command();
            }
        }
        throw new AssertionError("no complete command in " + input);
    }

    /** flags|date|content of each message, // between messages. */
    private static String show(ImapCommand.Append append) throws IOException {
        List<String> parts = new ArrayList<>();
        for (ImapCommand.AppendMessage m : append.messages()) {
            m.content().spool().finish();
            String content = Files.readString(m.content().spool().path(), StandardCharsets.ISO_8859_1);
            parts.add(String.join(" ", new TreeSet<>(m.flags())) + "|" + m.internalDate() + "|" + content
                + (m.content().binary() ? "~" : ""));
        }
        return append.mailbox() + ":" + String.join(" // ", parts);
    }

    private long spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "one message;             a APPEND INBOX {3+}\\r\\nabc\\r\\n;   INBOX:|null|abc",
        "two plain;               a APPEND INBOX {3+}\\r\\nabc {2+}\\r\\nde\\r\\n;   INBOX:|null|abc // |null|de",
        "own flags and dates;     a APPEND Drafts (\\Seen) \"15-Jan-2026 10:00:00 +0100\" {3+}\\r\\nabc (\\Draft $Work) {2+}\\r\\nde \"01-Feb-2026 08:00:00 +0000\" {1+}\\r\\nf\\r\\n;   Drafts:\\Seen|2026-01-15T09:00:00Z|abc // $Work \\Draft|null|de // |2026-02-01T08:00:00Z|f",
        "sync, LITERAL+, literal8; a APPEND INBOX {3}\\r\\nabc () {2+}\\r\\nde ~{3+}\\r\\nf\\0g\\r\\n;   INBOX:|null|abc // |null|de // |null|f\\0g~",
        "UTF8 form in the middle; a APPEND INBOX {3+}\\r\\nabc UTF8 (~{2+}\\r\\nde) {1+}\\r\\nf\\r\\n;   INBOX:|null|abc // |null|de~ // |null|f",
        "mailbox as literal;      a APPEND {5+}\\r\\nInBoX {3+}\\r\\nabc {1+}\\r\\nf\\r\\n;   INBOX:|null|abc // |null|f",
    })
    void parsesEveryMessage(String name, String input, String expected) throws Exception {
        RawCommand raw = frame(unescape(input.strip()));
        ImapCommand command = ImapCommandParser.parse(rawWithMailboxInMemory(raw), CONTEXT);
        assertEquals(unescape(expected.strip()), show(assertInstanceOf(ImapCommand.Append.class, command)));
        raw.discard();
        assertEquals(0, spoolFiles());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "bad date on the second;   a APPEND INBOX {3+}\\r\\nabc \"31-Foo-2026 10:00:00 +0000\" {2+}\\r\\nde\\r\\n",
        "no literal after flags;   a APPEND INBOX {3+}\\r\\nabc (\\Seen) hello\\r\\n",
        "unclosed flag list;       a APPEND INBOX {3+}\\r\\nabc (\\Seen {2+}\\r\\nde\\r\\n",
        "bad flag;                 a APPEND INBOX {3+}\\r\\nabc (\\Bogus) {2+}\\r\\nde\\r\\n",
        "trailing garbage;         a APPEND INBOX {3+}\\r\\nabc {2+}\\r\\nde x\\r\\n",
        "double space;             a APPEND INBOX {3+}\\r\\nabc  {2+}\\r\\nde\\r\\n",
    })
    void aBadLaterMessageRejectsTheWholeCommand(String name, String input) throws Exception {
        RawCommand raw = frame(unescape(input.strip()));
        assertEquals(raw.literals().size(), spoolFiles(), "each message spooled to its own file");
        assertThrows(ImapSyntaxException.class, () -> ImapCommandParser.parse(raw, CONTEXT));
        raw.discard(); // what the session does with a command it answers BAD
        assertEquals(0, spoolFiles(), "spool files deleted");
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\0", "\0");
    }

    /** A mailbox name sent as a literal is a string: the session keeps it in memory, not in a spool file. */
    private static RawCommand rawWithMailboxInMemory(RawCommand raw) throws IOException {
        String first = new String(raw.lines().get(0), StandardCharsets.ISO_8859_1).strip();
        if (!first.toUpperCase(java.util.Locale.ROOT).endsWith("APPEND")) {
            return raw;
        }
        List<Literal> literals = new ArrayList<>(raw.literals());
        Literal mailbox = literals.get(0);
        mailbox.spool().finish();
        literals.set(0, new Literal(mailbox.size(), Files.readAllBytes(mailbox.spool().path()), null, false));
        mailbox.spool().delete();
        return new RawCommand(raw.lines(), literals.stream().collect(Collectors.toList()));
    }
}
