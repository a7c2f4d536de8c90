package org.merpati.connector.pop3.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.pop3.FakePop3Listener;

/** The POP3 session without sockets: transcripts against an in-memory maildrop. */
class Pop3SessionTest {

    static final String ALICE = "alice@example.test";
    static final String M1 = "Subject: one\r\n\r\nhello\r\n";
    static final String M2 = "Subject: two\r\n\r\n.dot line\r\n..two dots\r\nend\r\n";
    static final String M3 = "Subject: three\r\nX-A: b\r\n\r\nl1\r\nl2\r\nl3\r\n";
    static final long TOTAL = M1.length() + M2.length() + M3.length();
    static final String CAPA_AFTER_TLS = "+OK capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n"
        + "USER\r\nSASL PLAIN LOGIN\r\nEXPIRE NEVER\r\nLOGIN-DELAY 0\r\nIMPLEMENTATION Merpati\r\n.\r\n";

    @TempDir
    Path dir;

    FakePop3Listener listener;
    long[] uids;
    private final List<Pop3Harness> harnesses = new ArrayList<>();

    @BeforeEach
    void maildrop() throws Exception {
        listener = new FakePop3Listener(dir);
        listener.addAccount(ALICE, "secret");
        listener.addAccount("bob@example.test", "hunter2");
        uids = new long[] {listener.addMessage(ALICE, M1), listener.addMessage(ALICE, M2), listener.addMessage(ALICE, M3)};
        listener.addMessage("bob@example.test", "Subject: bob\r\n\r\nhi\r\n");
    }

    @AfterEach
    void hangUp() {
        harnesses.forEach(h -> h.session.disconnected()); // frees the static maildrop locks
        assertFalse(MaildropLocks.isLocked(ALICE));
    }

    private Pop3Harness connect(Pop3SessionConfig config) {
        Pop3Harness h = Pop3Harness.connected(config, listener);
        harnesses.add(h);
        return h;
    }

    private Pop3Harness plain() {
        return connect(Pop3Harness.config(true, false));
    }

    private Pop3Harness loggedIn() {
        Pop3Harness h = plain();
        assertEquals("+OK send PASS\r\n", h.command("USER " + ALICE));
        assertEquals("+OK " + ALICE + " has 3 messages (" + TOTAL + " octets)\r\n", h.command("PASS secret"));
        assertEquals(Pop3State.TRANSACTION, h.session.state());
        return h;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void greetsWithoutApopTimestamp() {
        Pop3Harness h = new Pop3Harness(Pop3Harness.config(true, false), listener);
        harnesses.add(h);
        h.session.start();
        assertEquals("+OK pop.test POP3 Merpati ready\r\n", h.take());
    }

    static Stream<Arguments> authorizationState() {
        String notYet = " needs a login first\r\n";
        return Stream.of(
            Arguments.of("STAT", "-ERR not logged in: STAT" + notYet),
            Arguments.of("LIST", "-ERR not logged in: LIST" + notYet),
            Arguments.of("LIST 1", "-ERR not logged in: LIST" + notYet),
            Arguments.of("RETR 1", "-ERR not logged in: RETR" + notYet),
            Arguments.of("DELE 1", "-ERR not logged in: DELE" + notYet),
            Arguments.of("NOOP", "-ERR not logged in: NOOP" + notYet),
            Arguments.of("RSET", "-ERR not logged in: RSET" + notYet),
            Arguments.of("TOP 1 1", "-ERR not logged in: TOP" + notYet),
            Arguments.of("UIDL", "-ERR not logged in: UIDL" + notYet),
            Arguments.of("APOP alice c4c9334bac560ecc979e58001b3e22fb", "-ERR APOP not supported\r\n"),
            Arguments.of("PASS secret", "-ERR USER first\r\n"),
            Arguments.of("USER " + ALICE, "+OK send PASS\r\n"),
            Arguments.of("AUTH", "+OK SASL mechanisms follow\r\nPLAIN\r\nLOGIN\r\n.\r\n"),
            Arguments.of("AUTH CRAM-MD5", "-ERR unsupported SASL mechanism; use PLAIN or LOGIN\r\n"),
            Arguments.of("AUTH PLAIN", "+ \r\n"),
            Arguments.of("AUTH LOGIN", "+ VXNlcm5hbWU6\r\n"),
            Arguments.of("STLS", "-ERR STLS not available\r\n"),
            Arguments.of("CAPA", CAPA_AFTER_TLS),
            Arguments.of("QUIT", "+OK pop.test POP3 server signing off\r\n"),
            Arguments.of("XTND XMIT", "-ERR unknown command\r\n"),
            Arguments.of("RETR x", "-ERR invalid message number\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void authorizationState(String command, String reply) {
        Pop3Harness h = plain();
        assertEquals(reply, h.command(command));
        assertEquals(command.equals("QUIT"), h.closed);
        assertEquals(Pop3State.AUTHORIZATION, h.session.state());
    }

    static Stream<Arguments> transactionState() {
        String before = " is only valid before login\r\n";
        long s1 = M1.length();
        return Stream.of(
            Arguments.of("USER bob@example.test", "-ERR already logged in: USER" + before),
            Arguments.of("PASS secret", "-ERR already logged in: PASS" + before),
            Arguments.of("APOP a b", "-ERR already logged in: APOP" + before),
            Arguments.of("AUTH PLAIN", "-ERR already logged in: AUTH" + before),
            Arguments.of("STLS", "-ERR already logged in: STLS" + before),
            Arguments.of("STAT", "+OK 3 " + TOTAL + "\r\n"),
            Arguments.of("LIST", "+OK 3 messages (" + TOTAL + " octets)\r\n1 " + s1 + "\r\n2 " + M2.length() + "\r\n3 "
                + M3.length() + "\r\n.\r\n"),
            Arguments.of("LIST 1", "+OK 1 " + s1 + "\r\n"),
            Arguments.of("LIST 4", "-ERR no such message, only 3 messages in maildrop\r\n"),
            Arguments.of("LIST 0", "-ERR message numbers start at 1\r\n"),
            Arguments.of("UIDL", "+OK unique-id listing follows\r\n1 1700000000.1\r\n2 1700000000.2\r\n3 1700000000.3\r\n.\r\n"),
            Arguments.of("UIDL 2", "+OK 2 1700000000.2\r\n"),
            Arguments.of("UIDL 9", "-ERR no such message, only 3 messages in maildrop\r\n"),
            Arguments.of("RETR 1", "+OK " + s1 + " octets\r\n" + M1 + ".\r\n"),
            Arguments.of("RETR 2", "+OK " + M2.length() + " octets\r\nSubject: two\r\n\r\n..dot line\r\n...two dots\r\nend\r\n.\r\n"),
            Arguments.of("RETR 4", "-ERR no such message, only 3 messages in maildrop\r\n"),
            Arguments.of("RETR 99999999999", "-ERR no such message, only 3 messages in maildrop\r\n"),
            Arguments.of("TOP 3 0", "+OK top of message follows\r\nSubject: three\r\nX-A: b\r\n\r\n.\r\n"),
            Arguments.of("TOP 3 2", "+OK top of message follows\r\nSubject: three\r\nX-A: b\r\n\r\nl1\r\nl2\r\n.\r\n"),
            Arguments.of("TOP 2 1", "+OK top of message follows\r\nSubject: two\r\n\r\n..dot line\r\n.\r\n"),
            Arguments.of("TOP 4 1", "-ERR no such message, only 3 messages in maildrop\r\n"),
            Arguments.of("TOP 1", "-ERR TOP takes 2 arguments\r\n"),
            Arguments.of("DELE 1", "+OK message 1 deleted\r\n"),
            Arguments.of("DELE 4", "-ERR no such message, only 3 messages in maildrop\r\n"),
            Arguments.of("NOOP", "+OK\r\n"),
            Arguments.of("RSET", "+OK maildrop has 3 messages (" + TOTAL + " octets)\r\n"),
            Arguments.of("CAPA", CAPA_AFTER_TLS),
            Arguments.of("NOPE", "-ERR unknown command\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void transactionState(String command, String reply) {
        Pop3Harness h = loggedIn();
        assertEquals(reply, h.command(command));
        assertFalse(h.closed);
        assertEquals(Pop3State.TRANSACTION, h.session.state());
        assertEquals(List.of(), listener.changes, "nothing changes in the store before QUIT");
    }

    @Test
    void deletedMessagesAreRefusedUntilRset() {
        Pop3Harness h = loggedIn();
        assertEquals("+OK message 2 deleted\r\n", h.command("DELE 2"));
        for (String command : List.of("DELE 2", "RETR 2", "LIST 2", "UIDL 2", "TOP 2 0")) {
            assertEquals("-ERR message 2 already deleted\r\n", h.command(command), command);
        }
        long rest = M1.length() + M3.length();
        assertEquals("+OK 2 " + rest + "\r\n", h.command("STAT"));
        assertEquals("+OK 2 messages (" + rest + " octets)\r\n1 " + M1.length() + "\r\n3 " + M3.length() + "\r\n.\r\n", h.command("LIST"));
        assertEquals("+OK unique-id listing follows\r\n1 1700000000.1\r\n3 1700000000.3\r\n.\r\n", h.command("UIDL"));
        assertEquals("+OK maildrop has 3 messages (" + TOTAL + " octets)\r\n", h.command("RSET"));
        assertEquals("+OK 2 " + M2.length() + "\r\n", h.command("LIST 2"));
    }

    @Test
    void quitAppliesDeletionsInUpdateState() {
        Pop3Harness h = loggedIn();
        h.command("DELE 1");
        h.command("DELE 3");
        assertEquals(List.of(), listener.changes);
        assertEquals("+OK pop.test POP3 server signing off (1 messages left)\r\n", h.command("QUIT"));
        assertTrue(h.closed);
        assertEquals(Pop3State.UPDATE, h.session.state());
        assertEquals(List.of("store " + ALICE + " [1, 3] ADD [\\Deleted]", "expunge " + ALICE + " [1, 3]"), listener.changes);
        assertArrayEquals(new long[] {uids[1]}, listener.uids(ALICE));
        assertFalse(MaildropLocks.isLocked(ALICE), "lock released after UPDATE");
    }

    @Test
    void quitWithoutDeletionsCallsNothing() {
        Pop3Harness h = loggedIn();
        h.command("DELE 1");
        h.command("RSET");
        assertEquals("+OK pop.test POP3 server signing off (3 messages left)\r\n", h.command("QUIT"));
        assertEquals(List.of(), listener.changes);
    }

    @Test
    void commandsPipelinedAfterQuitAreIgnored() {
        Pop3Harness h = loggedIn();
        assertEquals("+OK message 1 deleted\r\n+OK pop.test POP3 server signing off (2 messages left)\r\n",
            h.send("DELE 1\r\nQUIT\r\nDELE 2\r\n"));
        assertEquals(List.of("store " + ALICE + " [1] ADD [\\Deleted]", "expunge " + ALICE + " [1]"), listener.changes);
    }

    @Test
    void failedUpdateSaysSo() {
        Pop3Harness h = loggedIn();
        h.command("DELE 1");
        listener.storeDown = true;
        assertEquals("-ERR [SYS/TEMP] some deleted messages not removed\r\n", h.command("QUIT"));
        assertTrue(h.closed);
        assertEquals(3, listener.uids(ALICE).length);
        assertFalse(MaildropLocks.isLocked(ALICE));
    }

    @Test
    void droppedConnectionAppliesNothing() {
        Pop3Harness h = loggedIn();
        h.command("DELE 1");
        assertTrue(MaildropLocks.isLocked(ALICE));
        h.session.disconnected();
        assertEquals(List.of(), listener.changes);
        assertEquals(3, listener.uids(ALICE).length);
        assertFalse(MaildropLocks.isLocked(ALICE), "lock released with the connection");
    }

    @Test
    void idleTimeoutClosesWithoutUpdate() {
        Pop3Harness h = loggedIn();
        h.command("DELE 1");
        h.session.idle();
        assertEquals("-ERR idle timeout, closing connection\r\n", h.take());
        assertTrue(h.closed);
        assertEquals(List.of(), listener.changes);
        assertFalse(MaildropLocks.isLocked(ALICE));
    }

    @Test
    void shutdownSaysTemporary() {
        Pop3Harness h = loggedIn();
        h.session.shutdown();
        assertEquals("-ERR [SYS/TEMP] pop.test POP3 service shutting down\r\n", h.take());
        assertTrue(h.closed);
    }

    @Test
    void pipelinedCommandsAnswerInOrder() {
        Pop3Harness h = plain();
        String out = h.send("USER " + ALICE + "\r\nPASS secret\r\nSTAT\r\nRETR 1\r\nDELE 1\r\nLIST 1\r\nNOOP\r\n");
        assertEquals("+OK send PASS\r\n+OK " + ALICE + " has 3 messages (" + TOTAL + " octets)\r\n+OK 3 " + TOTAL + "\r\n"
            + "+OK " + M1.length() + " octets\r\n" + M1 + ".\r\n+OK message 1 deleted\r\n-ERR message 1 already deleted\r\n+OK\r\n", out);
        assertFalse(h.inputPaused, "input resumed once the pipeline ran dry");
    }

    @Test
    void pipelinedCommandsWaitForAsynchronousListenerCalls() {
        Pop3Harness h = new Pop3Harness(Pop3Harness.config(true, false), listener, true);
        harnesses.add(h);
        h.session.start();
        h.take();
        assertEquals("+OK send PASS\r\n", h.send("USER " + ALICE + "\r\nPASS secret\r\nDELE 1\r\nQUIT\r\n"));
        assertTrue(h.inputPaused, "no more input while the listener works");
        assertEquals("+OK " + ALICE + " has 3 messages (" + TOTAL + " octets)\r\n+OK message 1 deleted\r\n"
            + "+OK pop.test POP3 server signing off (2 messages left)\r\n", h.runPendingCalls());
        assertEquals(List.of("store " + ALICE + " [1] ADD [\\Deleted]", "expunge " + ALICE + " [1]"), listener.changes);
    }

    @Test
    void droppedWhileTheMaildropOpensLeavesNoLock() {
        Pop3Harness h = new Pop3Harness(Pop3Harness.config(true, false), listener, true);
        harnesses.add(h);
        h.session.start();
        h.send("USER " + ALICE + "\r\nPASS secret\r\n");
        h.pendingCalls.poll().run(); // authenticate done; select queued with the lock held
        assertTrue(MaildropLocks.isLocked(ALICE));
        h.session.disconnected();
        h.runPendingCalls();
        assertFalse(MaildropLocks.isLocked(ALICE));
    }

    @Test
    void maildropIsLockedAgainstASecondSession() {
        Pop3Harness first = loggedIn();
        Pop3Harness second = plain();
        second.command("USER " + ALICE);
        assertEquals("-ERR [IN-USE] maildrop already locked by another session\r\n", second.command("PASS secret"));
        assertEquals(Pop3State.AUTHORIZATION, second.session.state());
        assertNull(second.session.authenticatedUser());
        second.command("USER bob@example.test");
        assertEquals("+OK bob@example.test has 1 messages (20 octets)\r\n", second.command("PASS hunter2"), "other accounts are free");
        first.command("QUIT");
        Pop3Harness third = plain();
        third.command("USER " + ALICE);
        assertTrue(third.command("PASS secret").startsWith("+OK " + ALICE), "free again after QUIT");
    }

    @Test
    void wrongPasswordsAreAnsweredLaterAndLaterThenTheConnectionCloses() {
        Pop3Harness h = plain();
        h.command("USER " + ALICE);
        assertEquals("-ERR [AUTH] authentication failed\r\n", h.command("PASS wrong"));
        assertEquals("-ERR USER first\r\n", h.command("PASS secret"), "USER is forgotten after a PASS");
        h.command("USER " + ALICE);
        assertEquals("-ERR [AUTH] authentication failed\r\n", h.command("PASS wrong"));
        assertFalse(h.closed);
        assertEquals("-ERR [AUTH] authentication failed; too many failures, closing connection\r\n",
            h.command("AUTH PLAIN " + b64("\0" + ALICE + "\0wrong")));
        assertTrue(h.closed);
        assertEquals(List.of(1000L, 2000L, 4000L), h.delays);
    }

    @Test
    void failureDelaysAreCapped() {
        Pop3SessionConfig config = new Pop3SessionConfig("pop.test", 255, 20, 3, 1000, true, false);
        assertEquals(1000, config.authFailureDelay(1));
        assertEquals(8000, config.authFailureDelay(4));
        assertEquals(Pop3SessionConfig.MAX_AUTH_FAILURE_DELAY_MILLIS, config.authFailureDelay(40));
    }

    @Test
    void directoryOutageIsTemporaryAndNotAFailedLogin() {
        listener.directoryDown = true;
        Pop3Harness h = plain();
        h.command("USER " + ALICE);
        assertEquals("-ERR [SYS/TEMP] authentication is unavailable now, try again later\r\n", h.command("PASS secret"));
        assertEquals(List.of(), h.delays);
    }

    @Test
    void maildropThatCannotBeOpenedLeavesTheSessionInAuthorization() {
        listener.selectFailure = MailAccessException.Kind.UNAVAILABLE;
        Pop3Harness h = plain();
        h.command("USER " + ALICE);
        assertEquals("-ERR [SYS/TEMP] cannot open the maildrop\r\n", h.command("PASS secret"));
        assertEquals(Pop3State.AUTHORIZATION, h.session.state());
        assertFalse(MaildropLocks.isLocked(ALICE));
        listener.selectFailure = MailAccessException.Kind.NONEXISTENT;
        h.command("USER " + ALICE);
        assertEquals("-ERR [SYS/PERM] cannot open the maildrop\r\n", h.command("PASS secret"));
    }

    @Test
    void listenerCallsCarryTheSession() {
        loggedIn();
        assertNull(listener.sessions.get(0).authenticatedUser(), "authenticate runs unauthenticated");
        assertEquals("POP3", listener.sessions.get(0).protocol());
        assertEquals("192.0.2.7", listener.sessions.get(0).clientAddress());
        assertEquals(ALICE, listener.sessions.get(1).authenticatedUser(), "select acts for the account");
    }

    @Test
    void unreadableMessageFileIsATemporaryError() throws Exception {
        Pop3Harness h = loggedIn();
        Files.delete(dir.resolve("alice_example.test-1.eml"));
        assertEquals("-ERR [SYS/TEMP] message 1 cannot be read now\r\n", h.command("RETR 1"));
        assertEquals("+OK\r\n", h.command("NOOP"));
    }

    // ---------------------------------------------------------------- TLS and plaintext

    @Test
    void plaintextLoginIsRefusedBeforeTls() {
        Pop3Harness h = connect(Pop3Harness.config(false, true));
        String capa = h.command("CAPA");
        assertTrue(capa.contains("\r\nSTLS\r\n"), capa);
        assertFalse(capa.contains("USER") || capa.contains("SASL"), capa);
        String refused = "-ERR [AUTH] plaintext authentication is disallowed without TLS; use STLS first\r\n";
        assertEquals(refused, h.command("USER " + ALICE));
        assertEquals(refused, h.command("PASS secret"));
        assertEquals(refused, h.command("AUTH PLAIN " + b64("\0" + ALICE + "\0secret")));
        assertEquals(refused, h.command("AUTH"));
        assertTrue(listener.sessions.isEmpty(), "no password reached the listener");
    }

    @Test
    void stlsDiscardsPipelinedPlaintextAndUnlocksLogin() {
        Pop3Harness h = connect(Pop3Harness.config(false, true));
        assertEquals("+OK begin TLS negotiation\r\n", h.send("STLS\r\nUSER " + ALICE + "\r\nPASS secret\r\n"));
        assertEquals(1, h.tlsStarts);
        h.session.tlsStarted("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        assertEquals(CAPA_AFTER_TLS, h.command("CAPA"));
        assertEquals("-ERR USER first\r\n", h.command("PASS secret"), "the injected USER was dropped");
        assertEquals("-ERR TLS already active\r\n", h.command("STLS"));
        h.command("USER " + ALICE);
        assertTrue(h.command("PASS secret").startsWith("+OK"));
        assertEquals("POP3S", listener.sessions.get(0).protocol());
        assertEquals("TLSv1.3", listener.sessions.get(0).tlsProtocol());
    }

    // ---------------------------------------------------------------- SASL

    @Test
    void authPlainWithInitialResponse() {
        Pop3Harness h = plain();
        assertEquals("+OK " + ALICE + " has 3 messages (" + TOTAL + " octets)\r\n", h.command("AUTH PLAIN " + b64("\0" + ALICE + "\0secret")));
    }

    @Test
    void authPlainWithContinuation() {
        Pop3Harness h = plain();
        assertEquals("+ \r\n", h.command("AUTH PLAIN"));
        assertTrue(h.command(b64(ALICE + "\0" + ALICE + "\0secret")).startsWith("+OK " + ALICE));
    }

    @Test
    void authPlainForSomeoneElseIsRefusedByTheListener() {
        Pop3Harness h = plain();
        assertEquals("-ERR [AUTH] authentication failed\r\n", h.command("AUTH PLAIN " + b64("bob@example.test\0" + ALICE + "\0secret")));
    }

    @Test
    void authLoginInTwoSteps() {
        Pop3Harness h = plain();
        assertEquals("+ VXNlcm5hbWU6\r\n", h.command("AUTH LOGIN"));
        assertEquals("+ UGFzc3dvcmQ6\r\n", h.command(b64(ALICE)));
        assertTrue(h.command(b64("secret")).startsWith("+OK " + ALICE));
    }

    @Test
    void authLoginWithInitialResponse() {
        Pop3Harness h = plain();
        assertEquals("+ UGFzc3dvcmQ6\r\n", h.command("AUTH LOGIN " + b64(ALICE)));
        assertTrue(h.command(b64("secret")).startsWith("+OK " + ALICE));
    }

    static Stream<Arguments> brokenSasl() {
        return Stream.of(
            Arguments.of("AUTH PLAIN", "*", "-ERR authentication cancelled\r\n"),
            Arguments.of("AUTH LOGIN", "*", "-ERR authentication cancelled\r\n"),
            Arguments.of("AUTH PLAIN", "%%%", "-ERR invalid base64 in SASL response\r\n"),
            Arguments.of("AUTH PLAIN", b64("no nuls"), "-ERR malformed PLAIN response\r\n"),
            Arguments.of("AUTH LOGIN", "!", "-ERR invalid base64 in SASL response\r\n"));
    }

    @ParameterizedTest(name = "{0} then {1}")
    @MethodSource
    void brokenSasl(String auth, String response, String reply) {
        Pop3Harness h = plain();
        assertTrue(h.command(auth).startsWith("+ "));
        assertEquals(reply, h.command(response));
        assertEquals("+OK send PASS\r\n", h.command("USER " + ALICE), "back to commands");
        assertEquals(List.of(), h.delays, "not counted as a failed login");
    }

    @Test
    void saslResponseIsNotParsedAsACommand() {
        Pop3Harness h = plain();
        h.command("AUTH LOGIN");
        assertEquals("+ UGFzc3dvcmQ6\r\n", h.command("QUIT"), "QUIT is valid base64: taken as the user name");
        assertFalse(h.closed);
        assertEquals("-ERR invalid base64 in SASL response\r\n", h.command("QUIT now"));
    }

    // ---------------------------------------------------------------- framing and limits

    @Test
    void tooLongAndBareLineEndingsAreRefusedAndTheSessionGoesOn() {
        Pop3Harness h = plain();
        assertEquals("-ERR line too long\r\n", h.command("USER " + "x".repeat(300)));
        assertEquals("-ERR bare CR or LF in command; lines end with CRLF\r\n", h.send("USER a\nQUIT\r\n"));
        assertEquals("+OK send PASS\r\n", h.command("USER " + ALICE));
        h.session.receive(java.nio.ByteBuffer.wrap(new byte[] {'U', 'S', 'E', 'R', ' ', (byte) 0xff, '\r', '\n'}));
        assertEquals("-ERR command is not valid UTF-8\r\n", h.take());
    }

    @Test
    void tooManyErrorsCloseTheConnection() {
        Pop3Harness h = connect(new Pop3SessionConfig("pop.test", 255, 3, 3, 1000, true, false));
        assertEquals("-ERR unknown command\r\n", h.command("A"));
        assertEquals("-ERR unknown command\r\n", h.command("B"));
        assertEquals("-ERR unknown command\r\n-ERR too many errors, closing connection\r\n", h.command("C"));
        assertTrue(h.closed);
    }
}
