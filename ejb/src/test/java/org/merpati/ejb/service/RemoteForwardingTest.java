package org.merpati.ejb.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;

class RemoteForwardingTest {

    private static String relayCopy(String stored) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = RemoteForwarding.copyForRelay(new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)), out);
        assertEquals(out.size(), n);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theReturnPathOfFinalDeliveryIsDroppedForTheRelay() throws IOException {
        assertEquals("Received: x\r\nFrom: a@b\r\n\r\nbody\r\n",
                relayCopy("Return-Path: <a@b>\r\nReceived: x\r\nFrom: a@b\r\n\r\nbody\r\n"));
        assertEquals("Received: x\r\n\r\nb\r\n", relayCopy("return-path:\r\n <a@b>\r\nReceived: x\r\n\r\nb\r\n"),
                "folded, any case");
    }

    private static String ownResults(String stored) throws IOException {
        return RemoteForwarding.ownAuthenticationResults(
                new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)), "mx.merpati.test");
    }

    @Test
    void ourAuthenticationResultsAreFoundUnfoldedAndOthersAreNot() throws IOException {
        assertEquals("mx.merpati.test; spf=pass smtp.mailfrom=a@b; dmarc=pass header.from=b",
                ownResults("Authentication-Results: mx.merpati.test;\r\n spf=pass smtp.mailfrom=a@b;\r\n\t"
                        + "dmarc=pass header.from=b\r\nReturn-Path: <a@b>\r\n\r\nbody\r\n").replaceAll("\\s+", " "));
        assertEquals(null, ownResults("Authentication-Results: other.example; spf=pass\r\n\r\n"
                + "Authentication-Results: mx.merpati.test; spf=fail\r\n"), "a body line is not a header field");
        assertEquals(null, ownResults("Received: x\r\n\r\nbody\r\n"));
        assertEquals("MX.merpati.test ; dkim=none", ownResults("authentication-results:  MX.merpati.test ; dkim=none\r\n\r\n"));
    }

    @Test
    void aMessageWithoutReturnPathIsCopiedAsIs() throws IOException {
        String message = "Received: x\r\nReturn-Path: <not the first field>\r\n\r\nbody\r\n";
        assertEquals(message, relayCopy(message));
        assertEquals("", relayCopy(""));
        assertEquals("Ret", relayCopy("Ret"));
    }

    @Test
    void oneCopyPerRemoteTargetWithTheOriginalRecipientAsOrcpt() {
        Recipient team = new Recipient("Team@Example.com", "SUCCESS,FAILURE", null);
        Recipient fwd = new Recipient("fwd@example.com", null, "rfc822;first@elsewhere.example");
        List<Recipient> remote = RemoteForwarding.recipients(List.of(
                new RemoteForwarding.Forward(team, "team@example.com", "x@remote.example"),
                new RemoteForwarding.Forward(fwd, "fwd@example.com", "X@remote.example"),
                new RemoteForwarding.Forward(fwd, "fwd@example.com", "y@remote.example")));
        assertEquals(List.of(new Recipient("x@remote.example", "SUCCESS,FAILURE", "rfc822;team@example.com"),
                new Recipient("y@remote.example", null, "rfc822;first@elsewhere.example")), remote);
        Envelope original = new Envelope("", List.of(team), "8BITMIME", true, "HDRS", "env+2B1", 1234);
        assertEquals(new Envelope("", remote, "8BITMIME", true, "HDRS", "env+2B1", -1),
                RemoteForwarding.envelope(original, remote), "null sender stays null: no bounces of bounces");
    }

    @ParameterizedTest
    @CsvSource({"a@b.example, a@b.example", "a+b=c@x, a+2Bb+3Dc@x", "'a b@x', a+20b@x", "j\u00f6@x, j+C3+B6@x"})
    void xtext(String in, String out) {
        assertEquals(out, RemoteForwarding.xtext(in));
    }
}
