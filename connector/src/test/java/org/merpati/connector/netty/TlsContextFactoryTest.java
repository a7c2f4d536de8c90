package org.merpati.connector.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;

import io.netty.handler.ssl.SslContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsContextFactoryTest {

    @TempDir
    Path dir;

    @Test
    void generatesAKeystoreOnceAndReusesIt() throws Exception {
        Path keystore = dir.resolve("tls/merpati.p12");
        SslContext first = TlsContextFactory.create(new TlsSettings("mail.example.org", keystore, "secret", null, null));
        assertTrue(first.isServer());
        FileTime created = Files.getLastModifiedTime(keystore);
        X509Certificate cert = certificate(keystore, "secret");
        assertEquals("CN=mail.example.org", cert.getSubjectX500Principal().getName());
        assertTrue(cert.getSubjectAlternativeNames().stream().anyMatch(san -> "localhost".equals(san.get(1))));
        TlsContextFactory.create(new TlsSettings("mail.example.org", keystore, "secret", null, null));
        assertEquals(created, Files.getLastModifiedTime(keystore), "an existing keystore is not regenerated");
    }

    @Test
    void usesPemFilesWhenGiven() throws Exception {
        Path keystore = dir.resolve("source.p12");
        KeystoreGenerator.generateIfMissing(keystore, "secret", "localhost");
        KeyStore ks = load(keystore, "secret");
        Key key = ks.getKey(KeystoreGenerator.ALIAS, "secret".toCharArray());
        Path certPem = dir.resolve("cert.pem");
        Path keyPem = dir.resolve("key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", ks.getCertificate(KeystoreGenerator.ALIAS).getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        Path unused = dir.resolve("never-created.p12");
        SslContext ctx = TlsContextFactory.create(new TlsSettings("localhost", unused, "secret", certPem, keyPem));
        assertTrue(ctx.isServer());
        assertTrue(Files.notExists(unused), "no keystore generated when PEM files are configured");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }

    private static X509Certificate certificate(Path keystore, String password) throws Exception {
        return (X509Certificate) load(keystore, password).getCertificate(KeystoreGenerator.ALIAS);
    }

    private static KeyStore load(Path keystore, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }
}
