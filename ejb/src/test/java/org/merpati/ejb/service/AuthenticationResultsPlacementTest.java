package org.merpati.ejb.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AuthenticationResultsPlacementTest {

    private static String place(String trace, String results) {
        return new String(DeliveryService.withResults(trace.getBytes(StandardCharsets.ISO_8859_1),
                results.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void resultsGoBelowTheReturnPathAndAboveReceived() {
        assertEquals("Return-Path: <a@b.example>\r\nAuthentication-Results: mx; spf=pass\r\nReceived: from x\r\n",
                place("Return-Path: <a@b.example>\r\nReceived: from x\r\n", "Authentication-Results: mx; spf=pass\r\n"));
    }

    @Test
    void withoutReturnPathTheyGoOnTop() {
        assertEquals("Authentication-Results: mx; none\r\nReceived: from x\r\n",
                place("Received: from x\r\n", "Authentication-Results: mx; none\r\n"));
        assertEquals("Return-Path: <>\r\n", place("Return-Path: <>\r\n", ""));
    }
}
