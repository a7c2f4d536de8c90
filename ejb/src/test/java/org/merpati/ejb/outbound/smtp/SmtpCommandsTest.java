package org.merpati.ejb.outbound.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.merpati.connector.api.Recipient;

class SmtpCommandsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // RFC 3461 section 4 examples and edge cases
        "bob@example.org|bob@example.org",
        "a+b@example.org|a+2Bb@example.org",
        "x=y@example.org|x+3Dy@example.org",
        "'\"john doe\"@example.org'|\"john+20doe\"@example.org",
        "tab\there|tab+09here",
        "Ünïcode|+C3+9Cn+C3+AFcode",
        "''|''"})
    void xtextEncodes(String plain, String xtext) {
        assertEquals(xtext, Xtext.encode(plain));
        assertTrue(Xtext.isXtext(xtext));
        assertEquals(plain, Xtext.decode(xtext));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a=b", "a+2", "a+2g", "a+zz", "a\u00e9"})
    void xtextRejects(String value) {
        assertFalse(Xtext.isXtext(value));
    }

    @Test
    void mailFromWithAllParameters() {
        assertEquals("MAIL FROM:<alice@example.com> SIZE=1234 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=QQ314159\r\n",
                SmtpCommands.mailFrom("alice@example.com", 1234, "8BITMIME", true, "hdrs", "QQ314159", true));
    }

    @Test
    void mailFromLeavesDsnOutWithoutDsnExtension() {
        assertEquals("MAIL FROM:<alice@example.com>\r\n",
                SmtpCommands.mailFrom("alice@example.com", -1, null, false, "FULL", "id1", false));
    }

    @Test
    void nullSenderAndPlainEnvIdIsEncoded() {
        assertEquals("MAIL FROM:<> ENVID=a+20b+3Dc\r\n", SmtpCommands.mailFrom("", -1, null, false, null, "a b=c", true));
    }

    @Test
    void rcptCarriesNotifyAndOrcptWhenDsnOffered() {
        Recipient bob = new Recipient("bob@example.org", "SUCCESS,DELAY", "rfc822;Bob+2Bx@example.org");
        assertEquals("RCPT TO:<bob@example.org> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;Bob+2Bx@example.org\r\n",
                SmtpCommands.rcptTo(bob, true));
        assertEquals("RCPT TO:<bob@example.org>\r\n", SmtpCommands.rcptTo(bob, false));
    }

    @Test
    void rcptGetsItsOwnOrcptWhenNoneWasGiven() {
        assertEquals("RCPT TO:<a+b@example.org> NOTIFY=NEVER ORCPT=rfc822;a+2Bb@example.org\r\n",
                SmtpCommands.rcptTo(new Recipient("a+b@example.org", "never", null), true));
        assertEquals("RCPT TO:<jörg@example.org>\r\n",
                SmtpCommands.rcptTo(new Recipient("jörg@example.org", null, null), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bob@example.org>\r\nRCPT TO:<eve@example.org", "bob@example.org\nDATA", "a b@example.org",
            "<bob@example.org>", "bob\u0000@example.org"})
    void refusesInjection(String address) {
        assertThrows(IllegalArgumentException.class, () -> SmtpCommands.rcptTo(new Recipient(address, null, null), false));
        assertThrows(IllegalArgumentException.class, () -> SmtpCommands.mailFrom(address, -1, null, false, null, null, false));
    }

    @Test
    void refusesInjectedNotifyAndBody() {
        assertThrows(IllegalArgumentException.class,
                () -> SmtpCommands.rcptTo(new Recipient("b@example.org", "SUCCESS\r\nDATA", null), true));
        assertThrows(IllegalArgumentException.class,
                () -> SmtpCommands.mailFrom("a@example.org", -1, "8BIT MIME", false, null, null, false));
        assertThrows(IllegalArgumentException.class, () -> SmtpCommands.ehlo("host\r\nDATA"));
    }

    @Test
    void authPlainEncodesEmptyAuthzidUserAndPassword() {
        String line = SmtpCommands.authPlain("relay@example.com", "s3cret");
        assertTrue(line.startsWith("AUTH PLAIN ") && line.endsWith("\r\n"));
        byte[] decoded = Base64.getDecoder().decode(line.substring(11, line.length() - 2));
        assertEquals("\0relay@example.com\0s3cret", new String(decoded, StandardCharsets.UTF_8));
    }

    @Test
    void simpleCommands() {
        assertEquals("EHLO mail.example.com\r\n", SmtpCommands.ehlo("mail.example.com"));
        assertEquals("HELO [127.0.0.1]\r\n", SmtpCommands.helo("[127.0.0.1]"));
        assertEquals("BDAT 42 LAST\r\n", SmtpCommands.bdatLast(42));
        assertEquals("dXNlcg==\r\n", SmtpCommands.base64Line("user"));
    }
}
