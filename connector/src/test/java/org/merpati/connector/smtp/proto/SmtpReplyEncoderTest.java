package org.merpati.connector.smtp.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.merpati.connector.api.Reply;

class SmtpReplyEncoderTest {

    @Test
    void singleLineWithEnhancedCode() {
        assertEquals("250 2.1.0 ok\r\n", SmtpReplyEncoder.encode(new Reply(250, "2.1.0", "ok"), true));
    }

    @Test
    void enhancedCodeLeftOutBeforeEhlo() {
        assertEquals("250 ok\r\n", SmtpReplyEncoder.encode(new Reply(250, "2.1.0", "ok"), false));
    }

    @Test
    void multiLine() {
        assertEquals("250-mx.example\r\n250-PIPELINING\r\n250 SIZE 10\r\n",
            SmtpReplyEncoder.encode(250, "", List.of("mx.example", "PIPELINING", "SIZE 10")));
        assertEquals("550-5.7.1 one\r\n550 5.7.1 two\r\n", SmtpReplyEncoder.encode(550, "5.7.1", List.of("one", "two")));
    }

    @Test
    void listenerTextCannotInjectLines() {
        assertEquals("550 5.7.1 a b?250 ok\r\n",
            SmtpReplyEncoder.encode(new Reply(550, "5.7.1", "a\r\nb\u0000250 ok"), true));
    }
}
