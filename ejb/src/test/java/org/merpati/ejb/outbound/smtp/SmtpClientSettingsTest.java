package org.merpati.ejb.outbound.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.merpati.ejb.dns.MxHost;

class SmtpClientSettingsTest {

    @Test
    void defaults() {
        SmtpClientSettings s = SmtpClientSettings.fromConfig(Map.<String, String>of()::get, "mail.example.com");
        assertEquals("mail.example.com", s.heloName());
        assertEquals(25, s.port());
        assertEquals(Duration.ofSeconds(30), s.connectTimeout());
        assertEquals(Duration.ofMinutes(5), s.commandTimeout());
        assertEquals(Duration.ofMinutes(3), s.dataBlockTimeout());
        assertEquals(Duration.ofMinutes(10), s.finalDotTimeout());
        assertNull(s.smarthost());
        assertTrue(s.mtaSts());
    }

    @Test
    void smarthostWithCredentials() {
        SmtpClientSettings s = SmtpClientSettings.fromConfig(Map.of(
                "MERPATI_SMARTHOST", "relay.example.net:587",
                "MERPATI_SMARTHOST_USER", "me",
                "MERPATI_SMARTHOST_PASSWORD", "pw",
                "MERPATI_SMARTHOST_TLS", "starttls",
                "MERPATI_SMARTHOST_TLS_VERIFY", "false",
                "MERPATI_OUTBOUND_PORT", "2525")::get, "h");
        assertEquals(new SmtpClientSettings.Smarthost("relay.example.net", 587, "me", "pw",
                SmtpClientSettings.TlsMode.STARTTLS, false), s.smarthost());
        assertEquals(2525, s.port());
        assertFalse(s.smarthost().toString().contains("pw"), "no password in logs");
    }

    @Test
    void implicitTlsDefaultsToPort465() {
        SmtpClientSettings s = SmtpClientSettings.fromConfig(Map.of("MERPATI_SMARTHOST", "relay.example.net",
                "MERPATI_SMARTHOST_TLS", "IMPLICIT")::get, "h");
        assertEquals(465, s.smarthost().port());
        assertTrue(s.smarthost().verify());
    }

    @Test
    void hostPortForms() {
        assertArrayEquals(new String[] {"relay", "25"}, SmtpClientSettings.splitHostPort("relay", 25));
        assertArrayEquals(new String[] {"::1", "2525"}, SmtpClientSettings.splitHostPort("[::1]:2525", 25));
        assertArrayEquals(new String[] {"::1", "25"}, SmtpClientSettings.splitHostPort("[::1]", 25));
        assertArrayEquals(new String[] {"::1", "25"}, SmtpClientSettings.splitHostPort("::1", 25));
        assertThrows(IllegalArgumentException.class, () -> SmtpClientSettings.splitHostPort("relay:99999", 25));
    }

    @Test
    void badValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SmtpClientSettings.fromConfig(
                Map.of("MERPATI_SMARTHOST", "r", "MERPATI_SMARTHOST_TLS", "SSL")::get, "h"));
        assertThrows(IllegalArgumentException.class, () -> SmtpClientSettings.fromConfig(
                Map.of("MERPATI_OUTBOUND_COMMAND_TIMEOUT_SECONDS", "0")::get, "h"));
    }

    @Test
    void mxOrderKeepsPreferencesAndShufflesTies() {
        List<MxHost> hosts = List.of(new MxHost(20, "c"), new MxHost(10, "a"), new MxHost(10, "b"), new MxHost(30, "d"),
                new MxHost(20, "c"));
        boolean sawAFirst = false;
        boolean sawBFirst = false;
        Random random = new Random(1);
        for (int i = 0; i < 50; i++) {
            List<String> order = MxRouter.order(hosts, random).stream().map(MxRouter.Target::host).toList();
            assertEquals(4, order.size(), "duplicates dropped");
            assertEquals(List.of("c", "d"), order.subList(2, 4));
            sawAFirst |= order.get(0).equals("a");
            sawBFirst |= order.get(0).equals("b");
        }
        assertTrue(sawAFirst && sawBFirst, "equal preferences come in both orders");
    }
}
