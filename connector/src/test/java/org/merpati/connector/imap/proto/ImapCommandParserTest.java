package org.merpati.connector.imap.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.merpati.connector.api.access.SearchKey;

/** Every command form parses to the expected model; malformed ones are syntax errors. */
class ImapCommandParserTest {

    /** Sequence sets resolve to themselves (numbers as UIDs) with a * of 10, so results are visible. */
    private static final ImapCommandParser.Context CONTEXT = new ImapCommandParser.Context(false,
        (set, uid) -> new SearchKey.Uids(set.resolve(10)));

    static ImapCommand parse(String line) throws ImapSyntaxException {
        return ImapCommandParser.parse(RawCommand.of(line), CONTEXT);
    }

    /** A compact, stable rendering of a command for the table. */
    static String show(ImapCommand c) {
        String s = c.toString();
        if (c instanceof ImapCommand.Search search) {
            s = "Search[uid=" + search.uid() + ", key=" + key(search.key()) + ", return=" + search.returnOptions() + "]";
        } else if (c instanceof ImapCommand.Fetch f) {
            s = "Fetch[uid=" + f.uid() + ", set=" + f.set() + ", atts=" + f.attributes() + ", changedSince=" + f.changedSince()
                + ", vanished=" + f.vanished() + "]";
        } else if (c instanceof ImapCommand.Store st) {
            s = "Store[uid=" + st.uid() + ", set=" + st.set() + ", " + st.operation() + (st.silent() ? " silent" : "") + " "
                + st.flags() + ", unchangedSince=" + st.unchangedSince() + "]";
        } else if (c instanceof ImapCommand.Copy cp) {
            s = (cp.move() ? "Move" : "Copy") + "[uid=" + cp.uid() + ", set=" + cp.set() + ", " + cp.mailbox() + "]";
        }
        return s;
    }

    static String key(SearchKey k) {
        if (k instanceof SearchKey.Uids u) {
            return "Uids" + Arrays.stream(u.ranges()).map(r -> r[0] + ":" + r[1]).collect(Collectors.joining(",", "(", ")"));
        } else if (k instanceof SearchKey.And a) {
            return a.keys().stream().map(ImapCommandParserTest::key).collect(Collectors.joining(" ", "And(", ")"));
        } else if (k instanceof SearchKey.Or o) {
            return "Or(" + key(o.left()) + " " + key(o.right()) + ")";
        } else if (k instanceof SearchKey.Not n) {
            return "Not(" + key(n.key()) + ")";
        }
        return k.toString();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "a CAPABILITY                          | Simple[tag=a, verb=CAPABILITY]",
        "a noop                                | Simple[tag=a, verb=NOOP]",
        "a LOGIN bob \"p w\"                     | Login[tag=a, user=bob, password=p w]",
        "a LOGIN \"a\\\"b\" x                    | Login[tag=a, user=a\"b, password=x]",
        "a AUTHENTICATE PLAIN                  | Authenticate[tag=a, mechanism=PLAIN, initialResponse=null]",
        "a AUTHENTICATE plain AGJvYgBwdw==     | Authenticate[tag=a, mechanism=PLAIN, initialResponse=AGJvYgBwdw==]",
        "a AUTHENTICATE PLAIN =                | Authenticate[tag=a, mechanism=PLAIN, initialResponse=]",
        "a ENABLE IMAP4rev2 CONDSTORE          | Enable[tag=a, capabilities=[IMAP4REV2, CONDSTORE]]",
        "a SELECT inbox                        | Select[tag=a, mailbox=INBOX, readOnly=false, condstore=false, qresync=null]",
        "a EXAMINE \"Archive/2026\" (CONDSTORE)  | Select[tag=a, mailbox=Archive/2026, readOnly=true, condstore=true, qresync=null]",
        "a SELECT Entw&APw-rfe                 | Select[tag=a, mailbox=Entwürfe, readOnly=false, condstore=false, qresync=null]",
        "a CREATE Sent (USE (\\Sent))           | Create[tag=a, mailbox=Sent, specialUse=\\Sent]",
        "a DELETE x                            | Delete[tag=a, mailbox=x]",
        "a RENAME x y                          | Rename[tag=a, from=x, to=y]",
        "a SUBSCRIBE x                         | Subscribe[tag=a, mailbox=x, subscribe=true]",
        "a UNSUBSCRIBE x                       | Subscribe[tag=a, mailbox=x, subscribe=false]",
        "a STATUS INBOX (MESSAGES uidnext)     | Status[tag=a, mailbox=INBOX, items=[MESSAGES, UIDNEXT]]",
        "a LIST \"\" *                           | ListMailboxes[tag=a, lsub=false, selection=[], reference=, patterns=[*], returns=[], statusItems=[]]",
        "a LIST (SUBSCRIBED) \"\" (INBOX %) RETURN (CHILDREN STATUS (MESSAGES)) | ListMailboxes[tag=a, lsub=false, selection=[SUBSCRIBED], reference=, patterns=[INBOX, %], returns=[CHILDREN, STATUS], statusItems=[MESSAGES]]",
        "a LSUB \"\" %                           | ListMailboxes[tag=a, lsub=true, selection=[], reference=, patterns=[%], returns=[], statusItems=[]]",
        "a FETCH 1:* FAST                      | Fetch[uid=false, set=1:*, atts=[FLAGS, INTERNALDATE, RFC822_SIZE], changedSince=-1, vanished=false]",
        "a FETCH 1 (UID BODY.PEEK[HEADER.FIELDS (Subject From)]<0.100>) | Fetch[uid=false, set=1, atts=[UID, Section[peek=true, section=HEADER.FIELDS (SUBJECT FROM), partial=Partial[offset=0, length=100]]], changedSince=-1, vanished=false]",
        "a FETCH 2 (BODY[1.2.MIME] BINARY[1] BINARY.SIZE[2] RFC822.SIZE) | Fetch[uid=false, set=2, atts=[Section[peek=false, section=1.2.MIME, partial=null], Binary[peek=false, path=[1], partial=null], BinarySize[path=[2]], RFC822_SIZE], changedSince=-1, vanished=false]",
        "a UID FETCH 1:5,7 (FLAGS) (CHANGEDSINCE 12 VANISHED) | Fetch[uid=true, set=1:5,7, atts=[FLAGS], changedSince=12, vanished=true]",
        "a STORE 1 +FLAGS.SILENT (\\Seen $Work) | Store[uid=false, set=1, ADD silent [\\Seen, $Work], unchangedSince=-1]",
        "a UID STORE 3 (UNCHANGEDSINCE 5) -FLAGS \\deleted | Store[uid=true, set=3, REMOVE [\\Deleted], unchangedSince=5]",
        "a SEARCH UNSEEN                       | Search[uid=false, key=Flag[flag=\\Seen, set=false], return=null]",
        "a SEARCH 2:4 OR FROM bob NOT SEEN     | Search[uid=false, key=And(Uids(2:4) Or(Header[field=From, value=bob] Not(Flag[flag=\\Seen, set=true]))), return=null]",
        "a UID SEARCH RETURN (MIN COUNT) CHARSET UTF-8 UID 5:* SINCE 1-Feb-2026 | Search[uid=true, key=And(Uids(5:10) Date[field=INTERNAL, comparison=SINCE, date=2026-02-01]), return=[MIN, COUNT]]",
        "a SEARCH (LARGER 10 SMALLER 20) MODSEQ 7 | Search[uid=false, key=And(And(Size[larger=true, bytes=10] Size[larger=false, bytes=20]) ModSeq[min=7]), return=null]",
        "a COPY 1:3 Archive                    | Copy[uid=false, set=1:3, Archive]",
        "a UID MOVE $ Trash                    | Move[uid=true, set=$, Trash]",
        "a UID EXPUNGE 4:6                     | UidExpunge[tag=a, set=4:6]",
        "a GETQUOTAROOT INBOX                  | GetQuotaRoot[tag=a, mailbox=INBOX]",
        "a ID (\"name\" \"mutt\" \"version\" NIL) | Id[tag=a, parameters={name=mutt, version=null}]",
        "a ID NIL                              | Id[tag=a, parameters={}]",
        "a COMPRESS deflate                    | Compress[tag=a, mechanism=DEFLATE]",
    })
    void parses(String line, String expected) throws Exception {
        assertEquals(expected.strip(), show(parse(line.strip())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "a FROB", "a LOGIN bob", "a FETCH", "a FETCH 0 FLAGS", "a FETCH 1 BOGUS",
        "a FETCH 1 BODY[4.TEXTX]", "a FETCH 1 BODY[MIME]", "a STORE 1 FLAGS (\\Bogus)", "a SELECT \"unterminated",
        "a SEARCH FROB", "a SEARCH SINCE 31-Foo-2026", "a NOOP extra", "a LOGIN a\u0001b c", "a UID FROB 1",
        "a SEARCH ((((((((((((((((((ALL))))))))))))))))))", "a SELECT &Jjo", "a FETCH 1 (FLAGS"})
    void rejects(String line) {
        assertThrows(ImapSyntaxException.class, () -> parse(line));
    }

    @Test
    void unsupportedCharsetIsNotASyntaxError() {
        assertThrows(ImapCommandParser.BadCharsetException.class, () -> parse("a SEARCH CHARSET KOI8-R ALL"));
    }

    @Test
    void literalsAreStrings() throws Exception {
        RawCommand raw = new RawCommand(List.of("a LOGIN ".getBytes(), " ".getBytes(), "".getBytes()),
            List.of(new Literal(3, "bob".getBytes(), null, false), new Literal(4, "p\"w\\".getBytes(), null, false)));
        assertEquals("Login[tag=a, user=bob, password=p\"w\\]", ImapCommandParser.parse(raw, CONTEXT).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1|1", "1:3,5|1:3,5", "*|*", "3:*|3:*", "$|$", "2,4:7,9,12:*|2,4:7,9,12:*"})
    void sequenceSets(String text, String back) throws Exception {
        assertEquals(back, SequenceSet.parse(text).toString());
    }

    @Test
    void sequenceSetsResolveStarAndOrder() throws Exception {
        long[][] r = SequenceSet.parse("5:2,*").resolve(9);
        assertEquals("2:5 9:9", Arrays.stream(r).map(x -> x[0] + ":" + x[1]).collect(Collectors.joining(" ")));
        assertEquals(0, SequenceSet.parse("1:*").resolve(0).length, "* in an empty mailbox names nothing");
        assertEquals("1:3,5,7:8", SequenceSet.format(new long[] {1, 2, 3, 5, 7, 8}));
        for (String bad : List.of("0", "1:", ",1", "1,,2", "4294967296", "a")) {
            assertThrows(ImapSyntaxException.class, () -> SequenceSet.parse(bad), bad);
        }
    }
}
