package org.merpati.connector.smtp.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SmtpCommandParserTest {

    /** line, expected toString of the parsed command */
    static Stream<Arguments> accepted() {
        return Stream.of(
            Arguments.of("EHLO client.example", "Hello[verb=EHLO, domain=client.example]"),
            Arguments.of("ehlo client.example", "Hello[verb=EHLO, domain=client.example]"),
            Arguments.of("HeLo [192.0.2.1]", "Hello[verb=HELO, domain=[192.0.2.1]]"),
            Arguments.of("LHLO lmtp.example", "Hello[verb=LHLO, domain=lmtp.example]"),
            Arguments.of("EHLO client.example (junk after the name)", "Hello[verb=EHLO, domain=client.example]"),
            Arguments.of("MAIL FROM:<a@b.example>",
                "Mail[path=<a@b.example>, parameters=MailParameters[size=-1, body=7BIT, smtpUtf8=false, ret=null, envId=null]]"),
            Arguments.of("mail from:<>",
                "Mail[path=<>, parameters=MailParameters[size=-1, body=7BIT, smtpUtf8=false, ret=null, envId=null]]"),
            Arguments.of("MAIL FROM: <a@b.example>",
                "Mail[path=<a@b.example>, parameters=MailParameters[size=-1, body=7BIT, smtpUtf8=false, ret=null, envId=null]]"),
            Arguments.of("MAIL FROM:<a@b.example> SIZE=1000 BODY=8BITMIME",
                "Mail[path=<a@b.example>, parameters=MailParameters[size=1000, body=8BITMIME, smtpUtf8=false, ret=null, envId=null]]"),
            Arguments.of("MAIL FROM:<a@b.example> body=binarymime ret=hdrs envid=QQ314159",
                "Mail[path=<a@b.example>, parameters=MailParameters[size=-1, body=BINARYMIME, smtpUtf8=false, ret=HDRS, envId=QQ314159]]"),
            Arguments.of("MAIL FROM:<a@b.example> RET=FULL ENVID=a+2Bb",
                "Mail[path=<a@b.example>, parameters=MailParameters[size=-1, body=7BIT, smtpUtf8=false, ret=FULL, envId=a+2Bb]]"),
            Arguments.of("MAIL FROM:<ü@bücher.example> SMTPUTF8",
                "Mail[path=<ü@bücher.example>, parameters=MailParameters[size=-1, body=7BIT, smtpUtf8=true, ret=null, envId=null]]"),
            Arguments.of("RCPT TO:<c@d.example>", "Rcpt[path=<c@d.example>, dsnNotify=null, orcpt=null]"),
            Arguments.of("rcpt to:<Postmaster>", "Rcpt[path=<Postmaster>, dsnNotify=null, orcpt=null]"),
            Arguments.of("RCPT TO:<c@d.example> NOTIFY=success,delay ORCPT=rfc822;c@d.example",
                "Rcpt[path=<c@d.example>, dsnNotify=SUCCESS,DELAY, orcpt=rfc822;c@d.example]"),
            Arguments.of("RCPT TO:<c@d.example> NOTIFY=NEVER", "Rcpt[path=<c@d.example>, dsnNotify=NEVER, orcpt=null]"),
            Arguments.of("RCPT TO:<\"john doe\"@d.example>", "Rcpt[path=<\"john doe\"@d.example>, dsnNotify=null, orcpt=null]"),
            Arguments.of("RCPT TO:<\"a>b\"@d.example>", "Rcpt[path=<\"a>b\"@d.example>, dsnNotify=null, orcpt=null]"),
            Arguments.of("RCPT TO:<u@[192.0.2.1]>", "Rcpt[path=<u@[192.0.2.1]>, dsnNotify=null, orcpt=null]"),
            Arguments.of("RCPT TO:<u@[IPv6:2001:db8::1]>", "Rcpt[path=<u@[IPv6:2001:db8::1]>, dsnNotify=null, orcpt=null]"),
            Arguments.of("DATA", "Simple[verb=DATA, argument=]"),
            Arguments.of("data", "Simple[verb=DATA, argument=]"),
            Arguments.of("BDAT 100", "Bdat[size=100, last=false]"),
            Arguments.of("BDAT 0 LAST", "Bdat[size=0, last=true]"),
            Arguments.of("bdat 7 last", "Bdat[size=7, last=true]"),
            Arguments.of("RSET", "Simple[verb=RSET, argument=]"),
            Arguments.of("NOOP", "Simple[verb=NOOP, argument=]"),
            Arguments.of("NOOP anything goes", "Simple[verb=NOOP, argument=anything goes]"),
            Arguments.of("QUIT", "Simple[verb=QUIT, argument=]"),
            Arguments.of("VRFY postmaster", "Simple[verb=VRFY, argument=postmaster]"),
            Arguments.of("HELP", "Simple[verb=HELP, argument=]"),
            Arguments.of("HELP MAIL", "Simple[verb=HELP, argument=MAIL]"),
            Arguments.of("STARTTLS", "Simple[verb=STARTTLS, argument=]"),
            Arguments.of("starttls", "Simple[verb=STARTTLS, argument=]"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("accepted")
    void parses(String line, String expected) throws SmtpSyntaxException {
        assertEquals(expected, SmtpCommandParser.parse(line, false).toString());
    }

    /** line, expected "code enhanced" */
    static Stream<Arguments> refused() {
        return Stream.of(
            Arguments.of("", "500 5.5.1"),
            Arguments.of("FOO bar", "500 5.5.1"),
            Arguments.of("MAILFROM:<a@b.example>", "500 5.5.1"),
            Arguments.of("EXPN staff", "502 5.5.1"),
            Arguments.of("AUTH PLAIN AAAA", "502 5.5.1"),
            Arguments.of("EHLO", "501 5.5.4"),
            Arguments.of("EHLO ", "501 5.5.4"),
            Arguments.of("NOOP \u0000", "500 5.5.2"),
            Arguments.of("MAIL a@b.example", "501 5.5.4"),
            Arguments.of("MAIL FROM:a@b.example", "501 5.5.4"),
            Arguments.of("MAIL FROM:<a@b.example", "501 5.5.4"),
            Arguments.of("MAIL FROM:<a b@c.example>", "501 5.5.4"),
            Arguments.of("MAIL FROM:<a@b.example>SIZE=10", "501 5.5.4"),
            Arguments.of("MAIL FROM:<<a@b.example>>", "501 5.5.4"),
            Arguments.of("MAIL FROM:<@relay.example:a@b.example>", "501 5.1.7"),
            Arguments.of("RCPT TO:<@a.example,@b.example:u@d.example>", "501 5.1.3"),
            Arguments.of("MAIL FROM:<a@>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<@b.example>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<a>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<a..b@c.example>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<.a@c.example>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<a@-c.example>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<a@c..example>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<a@c_d.example>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<\"unterminated@c.example>", "501 5.5.4"),
            Arguments.of("MAIL FROM:<a@[300.1.1.1]>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<a@[IPv6:2001:db8:::1]>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<a@[tag:content]>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<ü@b.example>", "553 5.6.7"),
            Arguments.of("RCPT TO:<c@bücher.example>", "553 5.6.7"),
            Arguments.of("MAIL FROM:<" + "a".repeat(65) + "@b.example>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<a@" + "b".repeat(64) + ".example>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<a@" + "b.".repeat(130) + "example>", "501 5.1.7"),
            Arguments.of("MAIL FROM:<a@b.example> SIZE=big", "501 5.5.4"),
            Arguments.of("MAIL FROM:<a@b.example> BODY=9BIT", "501 5.5.4"),
            Arguments.of("MAIL FROM:<a@b.example> SMTPUTF8=yes", "501 5.5.4"),
            Arguments.of("MAIL FROM:<a@b.example> RET=SOME", "501 5.5.4"),
            Arguments.of("MAIL FROM:<a@b.example> ENVID=a=b", "501 5.5.4"),
            Arguments.of("MAIL FROM:<a@b.example> SIZE=1 SIZE=2", "501 5.5.4"),
            Arguments.of("MAIL FROM:<a@b.example> AUTH=<>", "555 5.5.4"),
            Arguments.of("MAIL FROM:<a@b.example> X-FOO", "555 5.5.4"),
            Arguments.of("RCPT TO:<>", "501 5.1.3"),
            Arguments.of("RCPT TO:<c@d.example> NOTIFY=NEVER,SUCCESS", "501 5.5.4"),
            Arguments.of("RCPT TO:<c@d.example> NOTIFY=", "501 5.5.4"),
            Arguments.of("RCPT TO:<c@d.example> ORCPT=nosemicolon", "501 5.5.4"),
            Arguments.of("RCPT TO:<c@d.example> FOO=1", "555 5.5.4"),
            Arguments.of("RCPT <c@d.example>", "501 5.5.4"),
            Arguments.of("DATA now", "501 5.5.4"),
            Arguments.of("RSET x", "501 5.5.4"),
            Arguments.of("QUIT now", "501 5.5.4"),
            Arguments.of("STARTTLS x", "501 5.5.4"),
            Arguments.of("VRFY", "501 5.5.4"),
            Arguments.of("BDAT", "501 5.5.4"),
            Arguments.of("BDAT -1", "501 5.5.4"),
            Arguments.of("BDAT 10 FIRST", "501 5.5.4"),
            Arguments.of("BDAT 10 LAST more", "501 5.5.4"),
            Arguments.of("BDAT 9999999999999999999", "501 5.5.4"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("refused")
    void refuses(String line, String expected) {
        SmtpSyntaxException e = assertThrows(SmtpSyntaxException.class, () -> SmtpCommandParser.parse(line, false));
        assertEquals(expected, e.reply().code() + " " + e.reply().enhanced());
    }

    @Test
    void recipientMayBeInternationalisedWhenTheTransactionIs() throws SmtpSyntaxException {
        SmtpCommand.Rcpt rcpt = (SmtpCommand.Rcpt) SmtpCommandParser.parse("RCPT TO:<δοκιμή@παράδειγμα.δοκιμή>", true);
        assertTrue(rcpt.path().nonAscii());
        assertEquals("δοκιμή@παράδειγμα.δοκιμή", rcpt.path().address());
    }

    @Test
    void quotedLocalPartIsReportedAsQuoted() throws SmtpSyntaxException {
        SmtpCommand.Rcpt rcpt = (SmtpCommand.Rcpt) SmtpCommandParser.parse("RCPT TO:<\"user@relay.example\"@mx.example>", false);
        assertTrue(rcpt.path().quoted());
        assertEquals("mx.example", rcpt.path().domain());
    }

    @Test
    void addressLiteralIsReportedAsSuch() throws SmtpSyntaxException {
        SmtpCommand.Rcpt rcpt = (SmtpCommand.Rcpt) SmtpCommandParser.parse("RCPT TO:<u@[IPv6:::ffff:192.0.2.1]>", false);
        assertTrue(rcpt.path().addressLiteral());
    }
}
