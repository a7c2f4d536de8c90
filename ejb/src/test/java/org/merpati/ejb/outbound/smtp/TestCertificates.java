package org.merpati.ejb.outbound.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Self-signed certificates made with the JDK's keytool, for the TLS tests. */
final class TestCertificates {

    static final String PASSWORD = "changeit";

    /**
     * @param serverContext the server side: the key and certificate
     * @param trustStore    a PKCS12 trust store holding just that certificate
     */
    record Pair(SSLContext serverContext, Path trustStore) {
    }

    private TestCertificates() {
    }

    /** A certificate for {@code cn} with the given subject alternative names ("dns:x", "ip:127.0.0.1"). */
    static Pair create(Path parent, String cn, String... san) throws Exception {
        Path dir = Files.createTempDirectory(parent, "cert");
        Path keystore = dir.resolve(cn + ".p12");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD,
                "-dname", "CN=" + cn, "-noprompt"));
        if (san.length > 0) {
            command.add("-ext");
            command.add("SAN=" + String.join(",", san));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);

        Certificate certificate = keys.getCertificate("server");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        Path trustStore = dir.resolve(cn + "-trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trust.store(out, PASSWORD.toCharArray());
        }
        return new Pair(server, trustStore);
    }
}
