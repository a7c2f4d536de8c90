package org.merpati.connector.imap.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.merpati.connector.api.access.MessageData;
import org.merpati.connector.api.access.MessageEnvelope;

/**
 * THREAD=REFERENCES (RFC 5256 section 2.2). Each case is a mailbox, one message a row
 * {@code uid | minute sent | Message-ID | In-Reply-To | References | Subject} (empty: absent), and the THREAD
 * response body expected with UIDs as numbers.
 */
class MessageOrderingReferencesTest {

    private static final Instant EPOCH = Instant.parse("2024-03-04T10:00:00Z");

    static Stream<Arguments> mailboxes() {
        return Stream.of(
            Arguments.of("RFC 5256 section 4 response shape", List.of(
                "2  | 0 | <2@x> |       |                          | other",
                "3  | 1 | <3@x> |       |                          | topic",
                "6  | 2 | <6@x> | <3@x> | <3@x>                    | Re: topic",
                "4  | 3 | <4@x> |       | <3@x> <6@x>              | Re: topic",
                "23 | 4 | <23@x>|       | <3@x> <6@x> <4@x>        | Re: topic",
                "44 | 5 | <44@x>|       | <3@x> <6@x>              | Re: topic",
                "7  | 6 | <7@x> |       | <3@x> <6@x> <44@x>       | Re: topic",
                "96 | 7 | <96@x>|       | <3@x> <6@x> <44@x> <7@x> | Re: topic"),
                "(2)(3 6 (4 23)(44 7 96))"),
            Arguments.of("missing middle message: its dummy is pruned, the reply moves up", List.of(
                "1 | 0 | <a@x> |       |             | alpha",
                "3 | 2 | <c@x> |       | <a@x> <b@x> | Re: alpha"),
                "(1 3)"),
            Arguments.of("missing root with two replies stays a dummy; with one reply it is pruned", List.of(
                "5 | 0 | <e@x> |       | <z@x> | one",
                "6 | 1 | <f@x> |       | <z@x> | two",
                "7 | 2 | <g@x> |       | <y@x> | three"),
                "((5)(6))(7)"),
            Arguments.of("References wins over In-Reply-To; In-Reply-To stands in when References is absent or invalid", List.of(
                "1 | 0 | <a@x> |       |           | alpha",
                "2 | 1 | <b@x> |       |           | beta",
                "3 | 2 | <c@x> | <a@x> | <b@x>     | gamma",
                "4 | 3 | <d@x> | <a@x> <b@x> |     | delta",
                "5 | 4 | <e@x> | <b@x> | junk      | epsilon"),
                "(1 4)(2 (3)(5))"),
            Arguments.of("loops in References are not linked", List.of(
                "1 | 0 | <a@x> |       | <b@x>             | alpha",
                "2 | 1 | <b@x> |       | <a@x>             | beta",
                "3 | 2 | <c@x> |       | <c@x>             | gamma",
                "4 | 3 | <d@x> |       | <p@x> <q@x> <p@x> | delta"),
                "(2 1)(3)(4)"),
            Arguments.of("a message whose own id is in its References gets no parent", List.of(
                "1 | 0 | <a@x> |       |             | alpha",
                "2 | 1 | <b@x> |       | <a@x> <b@x> | beta"),
                "(1)(2)"),
            Arguments.of("duplicate Message-ID: the later message is given a unique one", List.of(
                "1 | 0 | <d@x> |       |       | first",
                "2 | 1 | <d@x> |       |       | second",
                "3 | 2 | <r@x> | <d@x> |       | third"),
                "(1 3)(2)"),
            Arguments.of("no Message-ID at all", List.of(
                "1 | 0 |       |       |       | first",
                "2 | 1 |       |       |       | second"),
                "(1)(2)"),
            Arguments.of("base subject grouping: a reply joins the original, equal originals share a dummy", List.of(
                "1 | 0 | <1@x> |  |  | Hello",
                "2 | 1 | <2@x> |  |  | Re: hello",
                "3 | 2 | <3@x> |  |  | Fwd: World",
                "4 | 3 | <4@x> |  |  | [fwd: World]",
                "5 | 4 | <5@x> |  |  | Meeting",
                "6 | 5 | <6@x> |  |  | meeting",
                "7 | 6 | <7@x> |  |  | Re: Lunch",
                "8 | 7 | <8@x> |  |  | Lunch",
                "9 | 8 | <9@x> |  |  | Re: [list] Fwd: Lunch (fwd)"),
                "(1 2)((3)(4))((5)(6))(8 (7)(9))"),
            Arguments.of("empty subjects are never grouped", List.of(
                "1 | 0 | <1@x> |  |  | ",
                "2 | 1 | <2@x> |  |  | Re:"),
                "(1)(2)"),
            Arguments.of("root dummies with the same subject merge their children", List.of(
                "1 | 0 | <1@x> |  | <m@x> | Plan",
                "2 | 1 | <2@x> |  | <m@x> | Re: Plan",
                "3 | 2 | <3@x> |  | <n@x> | Re: Plan",
                "4 | 3 | <4@x> |  | <n@x> | Re: Plan"),
                "((1)(2)(3)(4))"),
            Arguments.of("siblings sort by sent date, ties by UID", List.of(
                "1 | 0 | <1@x> |       |       | alpha",
                "2 | 5 | <2@x> | <1@x> |       | Re: alpha",
                "3 | 3 | <3@x> | <1@x> |       | Re: alpha",
                "4 | 3 | <4@x> | <1@x> |       | Re: alpha",
                "5 | -1 | <5@x> |      |       | beta"),
                "(5)(1 (3)(4)(2))"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mailboxes")
    void threads(String name, List<String> rows, String expected) {
        List<MessageData> messages = new ArrayList<>();
        Map<Long, String> references = new HashMap<>();
        for (String row : rows) {
            String[] f = row.split("\\|", -1);
            long uid = Long.parseLong(f[0].strip());
            Instant sent = EPOCH.plusSeconds(60 * Long.parseLong(f[1].strip()));
            messages.add(message(uid, sent, Instant.EPOCH, blank(f[2]), blank(f[3]), blank(f[5])));
            references.put(uid, blank(f[4]));
        }
        List<MessageOrdering.Node> threads = MessageOrdering.threadByReferences(messages, m -> references.get(m.uid()));
        assertEquals(expected, MessageOrdering.render(threads, u -> u));
    }

    @Test
    void unreadableDateFallsBackToInternalDate() {
        MessageData late = message(1, EPOCH.plusSeconds(600), Instant.EPOCH, "<1@x>", null, "a");
        MessageData undated = new MessageData(2, 1, Set.of(), EPOCH, EPOCH, 10, "e2", null, null,
            new MessageEnvelope("not a date", "b", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                null, "<2@x>"), null);
        assertEquals("(2)(1)", MessageOrdering.render(
            MessageOrdering.threadByReferences(List.of(late, undated), m -> null), u -> u));
    }

    @Test
    void referencesAreReadFromTheMessageFileAndAMissingFileFallsBackToInReplyTo(@TempDir Path dir) throws Exception {
        Path parent = dir.resolve("1.eml");
        Files.writeString(parent, "Message-ID: <1@x>\r\nSubject: a\r\n\r\nbody\r\n");
        Path reply = dir.resolve("2.eml");
        Files.writeString(reply, "Message-ID: <2@x>\r\nReferences: <0@x>\r\n <1@x>\r\nSubject: b\r\n\r\nbody\r\n");
        MessageData one = withBlob(message(1, EPOCH, EPOCH, "<1@x>", null, "a"), parent);
        MessageData two = withBlob(message(2, EPOCH.plusSeconds(60), EPOCH, "<2@x>", null, "b"), reply);
        MessageData three = withBlob(message(3, EPOCH.plusSeconds(120), EPOCH, "<3@x>", "<2@x>", "c"),
            dir.resolve("gone.eml"));
        assertEquals("(1 2 3)", MessageOrdering.render(MessageOrdering.threadByReferences(List.of(one, two, three)), u -> u));
    }

    @Test
    void aReplyChainDeeperThanTheLimitIsCutIntoThreadsInsteadOfExhaustingTheStack() {
        int n = 3_000;
        List<MessageData> chain = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            chain.add(message(i, EPOCH.plusSeconds(i), EPOCH, "<" + i + "@x>", i == 1 ? null : "<" + (i - 1) + "@x>",
                "s" + i));
        }
        List<MessageOrdering.Node> threads = MessageOrdering.threadByReferences(chain, m -> null);
        String rendered = MessageOrdering.render(threads, u -> u);
        assertTrue(rendered.startsWith("(1 2 3 "), rendered.substring(0, 40));
        int deepest = 0;
        for (MessageOrdering.Node root : threads) {
            int depth = 0;
            for (MessageOrdering.Node node = root; !node.children().isEmpty(); node = node.children().get(0)) {
                depth++;
            }
            deepest = Math.max(deepest, depth);
        }
        assertEquals(MessageOrdering.MAX_DEPTH, deepest);
        assertEquals(n, rendered.split("[ ()]+").length - 1, "every message is in a thread");
    }

    @Test
    void dummyNodesRenderWithoutANumber() {
        MessageOrdering.Node dummy = new MessageOrdering.Node(MessageOrdering.Node.DUMMY, List.of(
            new MessageOrdering.Node(30, List.of()), new MessageOrdering.Node(50, List.of(new MessageOrdering.Node(60, List.of())))));
        assertEquals("((3)(5 6))", MessageOrdering.render(List.of(dummy), u -> u / 10));
    }

    private static String blank(String field) {
        String s = field.strip();
        return s.isEmpty() ? null : s;
    }

    private static MessageData message(long uid, Instant sent, Instant internal, String messageId, String inReplyTo,
                                       String subject) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(sent.atOffset(ZoneOffset.ofHours(2)));
        MessageEnvelope envelope = new MessageEnvelope(date, subject, List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), inReplyTo, messageId);
        return new MessageData(uid, 1, Set.of(), internal, internal, 100, "e" + uid, null, null, envelope, null);
    }

    private static MessageData withBlob(MessageData m, Path file) {
        return new MessageData(m.uid(), m.modseq(), m.flags(), m.internalDate(), m.savedDate(), m.size(), m.emailId(),
            m.threadId(), file.toString(), m.envelope(), m.structure());
    }
}
