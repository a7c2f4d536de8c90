package org.merpati.connector.netty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Creates a self-signed PKCS12 keystore with the JDK's {@code keytool}, so a fresh install speaks TLS without
 * any setup. keytool rather than Netty's {@code SelfSignedCertificate}, which needs BouncyCastle or JDK
 * internals that a Jakarta EE server does not open to deployments.
 */
public final class KeystoreGenerator {

    private static final Logger LOG = Logger.getLogger(KeystoreGenerator.class.getName());
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    static final String ALIAS = "merpati";
    /** keytool refuses shorter store passwords. */
    public static final int MIN_PASSWORD = 6;
    private static final long TIMEOUT_SECONDS = 120;

    private KeystoreGenerator() {
    }

    /**
     * Generates {@code keystore} unless it exists. Synchronized because the SMTP and LMTP listeners may start
     * together and share one keystore; the file appears atomically so a half-written keystore is never read.
     */
    public static synchronized void generateIfMissing(Path keystore, String password, String serverName) throws IOException {
        if (Files.exists(keystore)) {
            return;
        }
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new IOException("cannot generate " + keystore + ": keytool needs a password of at least " + MIN_PASSWORD + " characters");
        }
        Path dir = keystore.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(keystore.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        String cn = HOST_NAME.matcher(serverName).matches() ? serverName : "localhost";
        Set<String> san = new LinkedHashSet<>(List.of("dns:" + cn, "dns:localhost", "ip:127.0.0.1"));
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
            "-storetype", "PKCS12", "-keystore", tmp.toString(),
            // passwords through the environment, not the command line that every local user can read
            "-storepass:env", "MERPATI_KS_PASS", "-keypass:env", "MERPATI_KS_PASS",
            "-dname", "CN=" + cn, "-ext", "SAN=" + String.join(",", san), "-noprompt"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("MERPATI_KS_PASS", password);
        Path log = Files.createTempFile("merpati-keytool", ".log");
        pb.redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0 || !Files.exists(tmp)) {
                throw new IOException("keytool failed (exit " + p.exitValue() + "): " + Files.readString(log).strip());
            }
            Files.move(tmp, keystore, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Merpati generated a self-signed TLS certificate for " + cn + " in " + keystore);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating " + keystore, e);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(log);
        }
    }
}
