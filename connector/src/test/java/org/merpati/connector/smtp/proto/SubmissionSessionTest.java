package org.merpati.connector.smtp.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.merpati.connector.api.SessionInfo;

/** Submission (RFC 6409) transcripts: SMTP AUTH (RFC 4954) with PLAIN and LOGIN, and what it guards. */
class SubmissionSessionTest {

    private static final String EHLO_TLS = "250-submit.example hello client.example\r\n250-PIPELINING\r\n250-SIZE 10000\r\n"
        + "250-8BITMIME\r\n250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n250-BINARYMIME\r\n250-DSN\r\n"
        + "250 AUTH PLAIN LOGIN\r\n";

    @TempDir
    Path spool;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static SmtpSessionConfig submission(boolean startTls, boolean plaintextAuth) {
        return new SmtpSessionConfig("submit.example", false, 512, 10_000, 3, 10, false, startTls)
            .asSubmission(plaintextAuth, 3, 1000);
    }

    /** A submission session after implicit TLS (or STARTTLS) and EHLO; alice's password is "secret". */
    private SessionHarness overTls() {
        SessionHarness h = new SessionHarness(submission(false, false), spool);
        h.session.tlsStarted("TLSv1.3", "TLS_AES_256_GCM_SHA384");
        h.listener.passwords.put("alice@example.test", "secret");
        h.output();
        assertEquals(EHLO_TLS, h.send("EHLO client.example\r\n"));
        return h;
    }

    /** What the client sends after EHLO (over TLS), and the whole answer. */
    static Stream<Arguments> exchanges() {
        String plainOk = b64("\0alice@example.test\0secret");
        return Stream.of(
            Arguments.of("PLAIN with initial response", "AUTH PLAIN " + plainOk + "\r\n",
                "235 2.7.0 authentication successful\r\n", "alice@example.test"),
            Arguments.of("PLAIN after an empty challenge", "AUTH PLAIN\r\n" + plainOk + "\r\n",
                "334 \r\n235 2.7.0 authentication successful\r\n", "alice@example.test"),
            Arguments.of("PLAIN mechanism name in lower case", "auth plain " + plainOk + "\r\n",
                "235 2.7.0 authentication successful\r\n", "alice@example.test"),
            Arguments.of("PLAIN with the account as authzid", "AUTH PLAIN " + b64("alice@example.test\0alice@example.test\0secret") + "\r\n",
                "235 2.7.0 authentication successful\r\n", "alice@example.test"),
            Arguments.of("PLAIN acting for someone else", "AUTH PLAIN " + b64("bob@example.test\0alice@example.test\0secret") + "\r\n",
                "535 5.7.8 authentication credentials invalid\r\n", null),
            Arguments.of("LOGIN in three steps", "AUTH LOGIN\r\n" + b64("alice@example.test") + "\r\n" + b64("secret") + "\r\n",
                "334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 2.7.0 authentication successful\r\n", "alice@example.test"),
            Arguments.of("LOGIN with the user name as initial response", "AUTH LOGIN " + b64("alice@example.test") + "\r\n"
                + b64("secret") + "\r\n", "334 UGFzc3dvcmQ6\r\n235 2.7.0 authentication successful\r\n", "alice@example.test"),
            Arguments.of("wrong password", "AUTH PLAIN " + b64("\0alice@example.test\0guess") + "\r\n",
                "535 5.7.8 authentication credentials invalid\r\n", null),
            Arguments.of("unknown user", "AUTH LOGIN " + b64("mallory@example.test") + "\r\n" + b64("secret") + "\r\n",
                "334 UGFzc3dvcmQ6\r\n535 5.7.8 authentication credentials invalid\r\n", null),
            Arguments.of("cancel at the PLAIN challenge", "AUTH PLAIN\r\n*\r\n",
                "334 \r\n501 5.0.0 authentication cancelled\r\n", null),
            Arguments.of("cancel at the password challenge", "AUTH LOGIN\r\n" + b64("alice@example.test") + "\r\n*\r\n",
                "334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n501 5.0.0 authentication cancelled\r\n", null),
            Arguments.of("bad base64 as initial response", "AUTH PLAIN not-base64!\r\n",
                "501 5.5.2 invalid base64 in SASL response\r\n", null),
            Arguments.of("bad base64 as response", "AUTH LOGIN\r\n%%%\r\n",
                "334 VXNlcm5hbWU6\r\n501 5.5.2 invalid base64 in SASL response\r\n", null),
            Arguments.of("empty initial response (=) is not a PLAIN credential", "AUTH PLAIN =\r\n",
                "501 5.5.2 malformed PLAIN response\r\n", null),
            Arguments.of("PLAIN without the second NUL", "AUTH PLAIN " + b64("alice@example.test\0secret") + "\r\n",
                "501 5.5.2 malformed PLAIN response\r\n", null),
            Arguments.of("not UTF-8", "AUTH PLAIN " + Base64.getEncoder().encodeToString(new byte[] {0, 'a', 0, (byte) 0xff}) + "\r\n",
                "501 5.5.2 SASL response is not UTF-8\r\n", null),
            Arguments.of("unknown mechanism", "AUTH CRAM-MD5\r\n",
                "504 5.5.4 unrecognized authentication type; use PLAIN LOGIN\r\n", null),
            Arguments.of("mechanism name with a bad character", "AUTH PL@IN\r\n",
                "501 5.5.4 syntax: AUTH mechanism [initial-response]\r\n", null),
            Arguments.of("no mechanism", "AUTH\r\n", "501 5.5.4 syntax: AUTH mechanism [initial-response]\r\n", null),
            Arguments.of("too many arguments", "AUTH PLAIN a b\r\n", "501 5.5.4 syntax: AUTH mechanism [initial-response]\r\n", null),
            Arguments.of("response line over the limit", "AUTH PLAIN\r\n" + "A".repeat(600) + "\r\nNOOP\r\n",
                "334 \r\n500 5.5.6 authentication exchange line is too long\r\n250 2.0.0 ok\r\n", null),
            Arguments.of("AUTH line over the limit", "AUTH PLAIN " + "A".repeat(600) + "\r\nNOOP\r\n",
                "500 5.5.2 line too long\r\n250 2.0.0 ok\r\n", null),
            Arguments.of("MAIL before AUTH", "MAIL FROM:<alice@example.test>\r\n", "530 5.7.0 Authentication required\r\n", null),
            Arguments.of("VRFY before AUTH", "VRFY alice\r\n", "530 5.7.0 Authentication required\r\n", null),
            Arguments.of("AUTH twice", "AUTH PLAIN " + plainOk + "\r\nAUTH PLAIN " + plainOk + "\r\n",
                "235 2.7.0 authentication successful\r\n503 5.5.1 already authenticated\r\n", "alice@example.test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exchanges")
    void authExchange(String name, String client, String server, String account) {
        SessionHarness h = overTls();
        assertEquals(server, h.send(client));
        assertEquals(account, h.session.authenticatedUser());
        assertFalse(h.closed);
    }

    @Test
    void authenticatedTransactionCarriesTheUserAndEsmtpsa() {
        SessionHarness h = overTls();
        h.send("AUTH PLAIN " + b64("\0alice@example.test\0secret") + "\r\n");
        assertEquals("250 2.1.0 sender <alice@example.test> ok\r\n", h.send("MAIL FROM:<alice@example.test> AUTH=<>\r\n"));
        h.send("RCPT TO:<bob@elsewhere.example>\r\nDATA\r\n");
        assertEquals("250 2.0.0 queued as 42\r\n", h.send("Subject: hi\r\n\r\nhello\r\n.\r\n"));
        SessionInfo info = h.listener.deliveries.get(0).session();
        assertEquals("alice@example.test", info.authenticatedUser());
        assertEquals("ESMTPSA", info.protocol());
        assertEquals(List.of("authenticate alice@example.test", "sender alice@example.test", "recipient bob@elsewhere.example", "deliver"),
            h.listener.calls);
    }

    @Test
    void mailAuthParameterIsCheckedThenIgnored() {
        SessionHarness h = overTls();
        h.send("AUTH PLAIN " + b64("\0alice@example.test\0secret") + "\r\n");
        assertEquals("501 5.5.4 AUTH must be <> or xtext\r\n", h.send("MAIL FROM:<alice@example.test> AUTH=\r\n"));
        assertEquals("250 2.1.0 sender <alice@example.test> ok\r\n", h.send("MAIL FROM:<alice@example.test> AUTH=bob+40example.test\r\n"));
        assertEquals("alice@example.test", h.session.sessionInfo().authenticatedUser(), "the claim changes nothing");
    }

    @Test
    void authDuringATransactionIsRefused() {
        SessionHarness h = overTls();
        h.send("AUTH PLAIN " + b64("\0alice@example.test\0secret") + "\r\n");
        h.send("MAIL FROM:<alice@example.test>\r\n");
        assertEquals("503 5.5.1 AUTH not permitted during a mail transaction\r\n",
            h.send("AUTH PLAIN " + b64("\0alice@example.test\0secret") + "\r\n"));
    }

    @Test
    void authBeforeEhloIsRefused() {
        SessionHarness h = new SessionHarness(submission(false, false), spool);
        h.session.tlsStarted("TLSv1.3", "TLS_AES_256_GCM_SHA384");
        h.output();
        assertEquals("503 say hello first (EHLO/HELO/LHLO)\r\n", h.send("AUTH PLAIN =\r\n"));
        h.send("HELO client.example\r\n");
        assertEquals("503 AUTH requires EHLO\r\n", h.send("AUTH PLAIN =\r\n"));
    }

    @Test
    void failuresAreAnsweredLaterAndLaterThenTheSessionCloses() {
        SessionHarness h = overTls();
        h.deferTimers = true;
        String wrong = "AUTH PLAIN " + b64("\0alice@example.test\0guess") + "\r\n";
        // everything pipelined: each attempt waits for the previous answer
        assertEquals("", h.send(wrong + wrong + wrong + "NOOP\r\n"));
        assertTrue(h.paused, "input paused while the failure is held back");
        assertEquals(List.of(1000L), h.delays);
        h.fireNextTimer();
        assertEquals(List.of(1000L, 2000L), h.delays, "the second attempt ran once the first was answered");
        h.fireNextTimer();
        assertEquals(List.of(1000L, 2000L, 4000L), h.delays);
        h.fireNextTimer();
        assertEquals("535 5.7.8 authentication credentials invalid\r\n".repeat(2)
            + "421 4.7.0 submit.example too many authentication failures, closing connection\r\n", h.output());
        assertTrue(h.closed);
        assertEquals(3, h.listener.calls.size(), "NOOP after the close was never read");
    }

    @Test
    void theRightPasswordAfterAWrongOneIsAccepted() {
        SessionHarness h = overTls();
        assertEquals("535 5.7.8 authentication credentials invalid\r\n235 2.7.0 authentication successful\r\n",
            h.send("AUTH PLAIN " + b64("\0alice@example.test\0guess") + "\r\nAUTH PLAIN " + b64("\0alice@example.test\0secret") + "\r\n"));
    }

    @Test
    void listenerFailureIs454AndNotAFailedLogin() {
        SessionHarness h = overTls();
        h.listener.throwOnAuthenticate = new IllegalStateException("directory down");
        String attempt = "AUTH PLAIN " + b64("\0alice@example.test\0secret") + "\r\n";
        assertEquals("454 4.7.0 temporary authentication failure, try again later\r\n".repeat(4), h.send(attempt.repeat(4)));
        assertFalse(h.closed);
        assertEquals(List.of(), h.delays, "no throttling for the server's own trouble");
        h.listener.throwOnAuthenticate = null;
        assertEquals("235 2.7.0 authentication successful\r\n", h.send(attempt));
    }

    @Test
    void authenticationWaitsForTheListenerWithInputPaused() {
        SessionHarness h = overTls();
        h.deferCalls = true;
        assertEquals("", h.send("AUTH PLAIN " + b64("\0alice@example.test\0secret") + "\r\nMAIL FROM:<alice@example.test>\r\n"));
        assertTrue(h.paused);
        h.completeNext();
        h.completeNext();
        assertEquals("235 2.7.0 authentication successful\r\n250 2.1.0 sender <alice@example.test> ok\r\n", h.output());
    }

    /** Before TLS: what EHLO offers and what AUTH answers, by listener configuration. */
    static Stream<Arguments> clearText() {
        return Stream.of(
            Arguments.of("STARTTLS listener", submission(true, false), false, "530 5.7.0 Must issue a STARTTLS command first\r\n"),
            Arguments.of("listener without TLS", submission(false, false), false,
                "538 5.7.11 encryption required for requested authentication mechanism\r\n"),
            Arguments.of("plaintext AUTH allowed", submission(true, true), true, "235 2.7.0 authentication successful\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void clearText(String name, SmtpSessionConfig config, boolean offered, String reply) {
        SessionHarness h = new SessionHarness(config, spool);
        h.listener.passwords.put("alice@example.test", "secret");
        h.output();
        assertEquals(offered, h.send("EHLO client.example\r\n").contains("AUTH PLAIN LOGIN"));
        assertEquals(reply, h.send("AUTH PLAIN " + b64("\0alice@example.test\0secret") + "\r\n"));
        if (offered) {
            assertEquals("ESMTPA", h.session.sessionInfo().protocol());
        } else {
            assertEquals(List.of(), h.listener.calls, "credentials sent in clear text never reach the directory");
        }
    }

    @Test
    void startTlsThenAuth() {
        SessionHarness h = new SessionHarness(submission(true, false), spool);
        h.listener.passwords.put("alice@example.test", "secret");
        h.output();
        String ehlo = h.send("EHLO client.example\r\n");
        assertTrue(ehlo.contains("250 STARTTLS\r\n") && !ehlo.contains("AUTH"), ehlo);
        assertEquals("530 5.7.0 Authentication required\r\n", h.send("MAIL FROM:<alice@example.test>\r\n"));
        h.send("STARTTLS\r\n");
        h.session.tlsStarted("TLSv1.3", "TLS_AES_256_GCM_SHA384");
        assertEquals(EHLO_TLS, h.send("EHLO client.example\r\n"));
        assertEquals("235 2.7.0 authentication successful\r\n", h.send("AUTH PLAIN " + b64("\0alice@example.test\0secret") + "\r\n"));
        assertEquals("ESMTPSA", h.session.sessionInfo().protocol());
    }

    @Test
    void startTlsForgetsAPlaintextLogin() {
        SessionHarness h = new SessionHarness(submission(true, true), spool);
        h.listener.passwords.put("alice@example.test", "secret");
        h.send("EHLO client.example\r\nAUTH PLAIN " + b64("\0alice@example.test\0secret") + "\r\nSTARTTLS\r\n");
        h.session.tlsStarted("TLSv1.3", "TLS_AES_256_GCM_SHA384");
        assertNull(h.session.authenticatedUser());
        h.send("EHLO client.example\r\n");
        assertEquals("530 5.7.0 Authentication required\r\n", h.send("MAIL FROM:<alice@example.test>\r\n"));
    }

    /** The MX listener is untouched by all this. */
    @Test
    void mxListenerKnowsNoAuth() {
        SessionHarness h = new SessionHarness(SessionHarness.smtp(), spool);
        h.session.tlsStarted("TLSv1.3", "TLS_AES_256_GCM_SHA384");
        h.output();
        assertFalse(h.send("EHLO client.example\r\n").contains("AUTH"));
        assertEquals("502 5.5.1 command not implemented\r\n", h.send("AUTH PLAIN " + b64("\0alice@example.test\0secret") + "\r\n"));
        assertEquals("555 5.5.4 unsupported MAIL parameter AUTH\r\n", h.send("MAIL FROM:<a@b.example> AUTH=<>\r\n"));
        assertEquals("250 2.1.0 sender <a@b.example> ok\r\n", h.send("MAIL FROM:<a@b.example>\r\n"), "no AUTH needed for MAIL");
        assertFalse(h.send("HELP\r\n").contains("AUTH"));
        assertEquals("ESMTPS", h.session.sessionInfo().protocol());
        assertNull(h.session.sessionInfo().authenticatedUser());
    }

    @Test
    void lmtpListenerKnowsNoAuth() {
        SessionHarness h = new SessionHarness(SessionHarness.lmtp(), spool);
        h.output();
        assertFalse(h.send("LHLO client.example\r\n").contains("AUTH"));
        assertEquals("502 5.5.1 command not implemented\r\n", h.send("AUTH PLAIN =\r\n"));
    }

    @Test
    void theCommandNeverShowsTheCredentials() throws Exception {
        String secret = b64("\0alice@example.test\0secret");
        assertFalse(SmtpCommandParser.parse("AUTH PLAIN " + secret, false, true).toString().contains(secret));
    }
}
