package org.merpati.connector.imap.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.merpati.connector.api.access.MailboxRights;
import org.merpati.connector.api.access.SearchKey;

/** The RFC 4314 commands parse to the expected model; unknown rights are BAD (never ignored). */
class AclCommandParserTest {

    private static final ImapCommandParser.Context CONTEXT = new ImapCommandParser.Context(false,
        (set, uid) -> new SearchKey.All());

    private static ImapCommand parse(String line) throws ImapSyntaxException {
        return ImapCommandParser.parse(RawCommand.of(line), CONTEXT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "a SETACL Projects bob@x.test lrs              | SetAcl[tag=a, mailbox=Projects, identifier=bob@x.test, operation=REPLACE, rights=lrs]",
        "a setacl inbox bob@x.test +cda                | SetAcl[tag=a, mailbox=INBOX, identifier=bob@x.test, operation=ADD, rights=cda]",
        "a SETACL \"A B\" -bob@x.test -w               | SetAcl[tag=a, mailbox=A B, identifier=-bob@x.test, operation=REMOVE, rights=w]",
        "a SETACL Projects anyone \"\"                  | SetAcl[tag=a, mailbox=Projects, identifier=anyone, operation=REPLACE, rights=]",
        "a SETACL Entw&APw-rfe \"team@x.test\" lrs   | SetAcl[tag=a, mailbox=Entwürfe, identifier=team@x.test, operation=REPLACE, rights=lrs]",
        "a DELETEACL Projects bob@x.test               | DeleteAcl[tag=a, mailbox=Projects, identifier=bob@x.test]",
        "a GETACL \"Other Users/bob@x.test/Projects\"  | GetAcl[tag=a, mailbox=Other Users/bob@x.test/Projects]",
        "a LISTRIGHTS Projects anyone                  | ListRights[tag=a, mailbox=Projects, identifier=anyone]",
        "a MYRIGHTS inbox                              | MyRights[tag=a, mailbox=INBOX]",
    })
    void parses(String line, String expected) throws Exception {
        assertEquals(expected, parse(line).toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "a SETACL Projects bob@x.test lrQ",       // upper case is not allowed (RFC 4314 section 3.1)
        "a SETACL Projects bob@x.test lrq",       // an unknown right is never ignored
        "a SETACL Projects bob@x.test +0",        // RFC 2086 digits are not implemented
        "a SETACL Projects bob@x.test",           // rights missing
        "a SETACL Projects \"\" lr",              // empty identifier
        "a DELETEACL Projects",
        "a GETACL",
        "a LISTRIGHTS Projects",
        "a MYRIGHTS Projects extra",
    })
    void refuses(String line) {
        assertThrows(ImapSyntaxException.class, () -> parse(line));
    }

    @Test
    void aclCommandsAreValidOnlyOnceAuthenticated() {
        for (String name : List.of("SETACL", "DELETEACL", "GETACL", "LISTRIGHTS", "MYRIGHTS")) {
            assertTrue(ImapCommandRules.isKnown(name), name);
            assertTrue(ImapCommandRules.validIn(name, ImapState.AUTHENTICATED), name);
            assertTrue(ImapCommandRules.validIn(name, ImapState.SELECTED), name);
            assertTrue(!ImapCommandRules.validIn(name, ImapState.NOT_AUTHENTICATED), name);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "lrswipkxtea | lrswipkxteacd",
        "c           | kxc",
        "d           | ted",
        "lrswida     | lrswitead",
        "k           | kc",
        "``          | ``",
        "aarl        | lra",
    })
    void rightsExpandTheVirtualOnesAndReportThemBack(String given, String reported) {
        assertEquals(reported, MailboxRights.parse(given).toString());
    }

    @Test
    void permanentFlagsFollowRights() {
        List<String> flags = List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft", "Work");
        assertEquals("\\Answered \\Flagged \\Deleted \\Seen \\Draft Work \\*",
            ImapSession.permanentFlags(flags, MailboxRights.ALL));
        assertEquals("\\Seen", ImapSession.permanentFlags(flags, MailboxRights.parse("lrs")));
        assertEquals("\\Deleted", ImapSession.permanentFlags(flags, MailboxRights.parse("lrte")));
        assertEquals("\\Answered \\Flagged \\Draft Work \\*", ImapSession.permanentFlags(flags, MailboxRights.parse("lrw")));
        assertEquals("", ImapSession.permanentFlags(flags, MailboxRights.parse("lri")));
    }
}
