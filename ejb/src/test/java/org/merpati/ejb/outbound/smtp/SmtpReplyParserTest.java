package org.merpati.ejb.outbound.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpReplyParserTest {

    static Stream<Arguments> replies() {
        return Stream.of(
            // lines, code, texts, enhanced code, one-line form
            Arguments.of(List.of("250 OK"), 250, List.of("OK"), null, "250 OK"),
            Arguments.of(List.of("250"), 250, List.of(""), null, "250"),
            Arguments.of(List.of("250 2.1.5 Ok"), 250, List.of("2.1.5 Ok"), "2.1.5", "250 2.1.5 Ok"),
            Arguments.of(List.of("550 5.1.1 <bob@example.org>: Recipient address rejected"), 550,
                    List.of("5.1.1 <bob@example.org>: Recipient address rejected"), "5.1.1",
                    "550 5.1.1 <bob@example.org>: Recipient address rejected"),
            Arguments.of(List.of("452 4.5.3 Too many recipients"), 452, List.of("4.5.3 Too many recipients"), "4.5.3", null),
            // RFC 5321 4.2.1 multi-line
            Arguments.of(List.of("250-mx.example.org Hello", "250-PIPELINING", "250-SIZE 10240000", "250 8BITMIME"), 250,
                    List.of("mx.example.org Hello", "PIPELINING", "SIZE 10240000", "8BITMIME"), null,
                    "250 mx.example.org Hello PIPELINING SIZE 10240000 8BITMIME"),
            Arguments.of(List.of("421-4.3.2 Service shutting down", "421 4.3.2 try later"), 421,
                    List.of("4.3.2 Service shutting down", "4.3.2 try later"), "4.3.2", null),
            // the class of the enhanced code must agree with the reply code (RFC 2034)
            Arguments.of(List.of("550 2.0.0 confused"), 550, List.of("2.0.0 confused"), null, null),
            // leading zeros are not part of the value (RFC 3463 numbers)
            Arguments.of(List.of("554 5.007.001 odd"), 554, List.of("5.007.001 odd"), "5.7.1", null),
            // a status-like word not followed by space is not an enhanced code
            Arguments.of(List.of("250 2.0.0.1 ok"), 250, List.of("2.0.0.1 ok"), null, null),
            Arguments.of(List.of("354 End data with <CR><LF>.<CR><LF>"), 354, List.of("End data with <CR><LF>.<CR><LF>"), null, null),
            // control characters never reach a DSN
            Arguments.of(List.of("550 5.7.1 bad\u0007bell\tand tab"), 550, List.of("5.7.1 bad\u0007bell\tand tab"), "5.7.1",
                    "550 5.7.1 bad bell and tab"));
    }

    @ParameterizedTest
    @MethodSource("replies")
    void parses(List<String> lines, int code, List<String> texts, String enhanced, String oneLine) throws Exception {
        SmtpReplyParser parser = new SmtpReplyParser();
        List<SmtpReply> complete = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Optional<SmtpReply> reply = parser.accept(lines.get(i));
            assertEquals(i == lines.size() - 1, reply.isPresent(), "complete only after the last line");
            reply.ifPresent(complete::add);
        }
        assertEquals(1, complete.size());
        SmtpReply reply = complete.get(0);
        assertEquals(code, reply.code());
        assertEquals(texts, reply.lines());
        assertEquals(enhanced, reply.enhancedCode());
        if (oneLine != null) {
            assertEquals(oneLine, reply.oneLine());
        }
        assertFalse(parser.inProgress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "25", "OK", "250:OK", "2500 x", "650 nope", "190 nope", "2x0 bad", "250\tOK"})
    void rejectsMalformedLines(String line) {
        assertThrows(SmtpProtocolException.class, () -> new SmtpReplyParser().accept(line));
    }

    @Test
    void rejectsCodeChangeWithinMultiLineReply() throws Exception {
        SmtpReplyParser parser = new SmtpReplyParser();
        parser.accept("250-first");
        assertTrue(parser.inProgress());
        assertThrows(SmtpProtocolException.class, () -> parser.accept("251 second"));
    }

    @Test
    void parsesConsecutiveRepliesWithOneParser() throws Exception {
        SmtpReplyParser parser = new SmtpReplyParser();
        assertEquals(250, parser.accept("250 2.1.0 Ok").orElseThrow().code());
        assertTrue(parser.accept("550-5.1.1 no").isEmpty());
        SmtpReply second = parser.accept("550 5.1.1 such user").orElseThrow();
        assertEquals(List.of("5.1.1 no", "5.1.1 such user"), second.lines());
        assertEquals(354, parser.accept("354 go").orElseThrow().code());
    }

    @Test
    void enhancedCodeFallback() {
        assertEquals("4.0.0", new SmtpReply(421, List.of("busy")).enhancedCodeOr("4.0.0"));
        assertNull(new SmtpReply(421, List.of("busy")).enhancedCode());
    }

    @Test
    void classifiesReplies() {
        assertTrue(new SmtpReply(250, List.of("")).isPositiveCompletion());
        assertTrue(new SmtpReply(354, List.of("")).isPositiveIntermediate());
        assertTrue(new SmtpReply(452, List.of("")).isTransientFailure());
        assertTrue(new SmtpReply(554, List.of("")).isPermanentFailure());
    }
}
