package org.merpati.connector.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;

import io.netty.handler.ssl.SslProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MERPATI_TLS_PROVIDER: parsing, and the choice as a pure function of (setting, OpenSSL available). */
class TlsProviderSettingTest {

    @ParameterizedTest
    @CsvSource({
        "auto,    true,  OPENSSL",
        "auto,    false, JDK",
        "jdk,     true,  JDK",
        "jdk,     false, JDK",
        "openssl, true,  OPENSSL",
    })
    void choosesAProvider(String value, boolean available, SslProvider expected) throws Exception {
        assertEquals(expected, TlsProviderSetting.parse(value).choose(available, null));
    }

    @Test
    void forcedOpenSslFailsClearlyWhenUnavailable() {
        Throwable cause = new UnsatisfiedLinkError("no netty_tcnative_osx_aarch_64 in java.library.path");
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
            () -> TlsProviderSetting.OPENSSL.choose(false, cause));
        assertTrue(e.getMessage().startsWith("MERPATI_TLS_PROVIDER=openssl, but OpenSSL"), e.getMessage());
        assertTrue(e.getMessage().contains("no netty_tcnative_osx_aarch_64"), "the cause is in the message: " + e.getMessage());
        assertSame(cause, e.getCause());
    }

    @ParameterizedTest
    @CsvSource(value = {
        "NULL,       JDK ",
        "'',         JDK ",
        "'  ',       JDK ",
        "auto,       AUTO",
        "JDK,        JDK",
        "' OpenSSL ', OPENSSL",
    }, nullValues = "NULL")
    void parsesCaseInsensitivelyWithJdkAsDefault(String value, TlsProviderSetting expected) {
        assertEquals(expected, TlsProviderSetting.parse(value));
    }

    @Test
    void refusesAnUnknownValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsProviderSetting.parse("boringssl"));
        assertEquals("MERPATI_TLS_PROVIDER must be auto, jdk or openssl, not 'boringssl'", e.getMessage());
    }

    @Test
    void systemPropertyIsRead() {
        String before = System.getProperty(TlsProviderSetting.PROPERTY);
        try {
            System.setProperty(TlsProviderSetting.PROPERTY, "openssl"); // not the default
            assertEquals(TlsProviderSetting.OPENSSL, TlsProviderSetting.current());
        } finally {
            if (before == null) {
                System.clearProperty(TlsProviderSetting.PROPERTY);
            } else {
                System.setProperty(TlsProviderSetting.PROPERTY, before);
            }
        }
    }
}
