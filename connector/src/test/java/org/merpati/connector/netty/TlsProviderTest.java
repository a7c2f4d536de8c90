package org.merpati.connector.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;

import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCounted;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server context with each provider: key sources, protocols, cipher suites, engine release. Handshakes run in
 * memory between two SSLEngines; OpenSSL cases are skipped only where its native library cannot load.
 */
class TlsProviderTest {

    /** Shared by the tests: keytool's key generation is the slow part. */
    @TempDir
    static Path dir;

    enum Provider {
        JDK(TlsProviderSetting.JDK, JdkSslContext.class), OPENSSL(TlsProviderSetting.OPENSSL, OpenSslContext.class);

        final TlsProviderSetting setting;
        final Class<? extends SslContext> contextType;

        Provider(TlsProviderSetting setting, Class<? extends SslContext> contextType) {
            this.setting = setting;
            this.contextType = contextType;
        }
    }

    enum KeySource { GENERATED_KEYSTORE, RSA_PKCS8_PEM, EC_PKCS8_PEM }

    private static void assumeAvailable(Provider provider) {
        if (provider == Provider.OPENSSL) {
            assumeTrue(OpenSsl.isAvailable(), () -> "OpenSSL unavailable here: " + OpenSsl.unavailabilityCause());
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void everyKeySourceHandshakesTls13(Provider provider) throws Exception {
        assumeAvailable(provider);
        for (KeySource source : KeySource.values()) {
            SslContext server = TlsContextFactory.create(settings(source), provider.setting);
            assertInstanceOf(provider.contextType, server, source.name());
            SSLEngine serverEngine = server.newEngine(ByteBufAllocator.DEFAULT);
            SSLEngine client = jdkClient("TLSv1.3", "TLSv1.2");
            handshake(client, serverEngine);
            assertEquals("TLSv1.3", serverEngine.getSession().getProtocol(), source.name());
            assertEquals("TLSv1.3", client.getSession().getProtocol(), source.name());
            String keyAlgorithm = client.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm();
            assertEquals(source == KeySource.EC_PKCS8_PEM ? "EC" : "RSA", keyAlgorithm, source.name());
            release(serverEngine);
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void tls12IsStillOffered(Provider provider) throws Exception {
        assumeAvailable(provider);
        SSLEngine server = TlsContextFactory.create(settings(KeySource.GENERATED_KEYSTORE), provider.setting)
            .newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine client = jdkClient("TLSv1.2");
        handshake(client, server);
        assertEquals("TLSv1.2", server.getSession().getProtocol());
        assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", server.getSession().getCipherSuite());
        release(server);
    }

    /** RFC 8996: TLS 1.0 and 1.1 are refused. The JDK client disables them itself, so an OpenSSL client offers them. */
    @ParameterizedTest
    @EnumSource(Provider.class)
    void tls11AndOlderAreRefused(Provider provider) throws Exception {
        assumeAvailable(Provider.OPENSSL);
        assumeAvailable(provider);
        SslContext server = TlsContextFactory.create(settings(KeySource.GENERATED_KEYSTORE), provider.setting);
        SslContext old = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).protocols("TLSv1.1", "TLSv1")
            .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        SSLEngine serverEngine = server.newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine client = old.newEngine(ByteBufAllocator.DEFAULT);
        assertThrows(SSLException.class, () -> handshake(client, serverEngine));
        release(serverEngine);
        release(client);
    }

    /** The cipher policy does not change with the provider; BoringSSL always enables ChaCha20 for TLS 1.3. */
    @Test
    void bothProvidersOfferTheSameCipherSuites() throws Exception {
        assumeAvailable(Provider.OPENSSL);
        TlsSettings settings = settings(KeySource.GENERATED_KEYSTORE);
        List<String> jdk = TlsContextFactory.create(settings, TlsProviderSetting.JDK).cipherSuites();
        List<String> openSsl = TlsContextFactory.create(settings, TlsProviderSetting.OPENSSL).cipherSuites();
        Set<String> extra = new HashSet<>(openSsl);
        extra.removeAll(jdk);
        assertTrue(openSsl.containsAll(jdk), "OpenSSL lacks " + jdk + " vs " + openSsl);
        assertEquals(Set.of("TLS_CHACHA20_POLY1305_SHA256"), extra);
    }

    /** Native engine state must not wait for the garbage collector: SslHandler frees it when the channel closes. */
    @Test
    void openSslEngineIsReleasedWhenItsChannelCloses() throws Exception {
        assumeAvailable(Provider.OPENSSL);
        SslContext server = TlsContextFactory.create(settings(KeySource.GENERATED_KEYSTORE), TlsProviderSetting.OPENSSL);
        SslHandler handler = server.newHandler(ByteBufAllocator.DEFAULT);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        ReferenceCounted engine = assertInstanceOf(ReferenceCounted.class, handler.engine());
        assertEquals(1, engine.refCnt());
        channel.close().await(5, TimeUnit.SECONDS);
        channel.finishAndReleaseAll();
        assertEquals(0, engine.refCnt(), "native engine freed at close");
    }

    /** Both providers read the key in Java: a traditional "RSA PRIVATE KEY" file fails the same way with either. */
    @ParameterizedTest
    @EnumSource(Provider.class)
    void pkcs1PemKeyIsRefusedByEitherProvider(Provider provider) throws Exception {
        assumeAvailable(provider);
        TlsSettings pkcs8 = settings(KeySource.RSA_PKCS8_PEM);
        byte[] der = Base64.getMimeDecoder().decode(Files.readString(pkcs8.privateKey()).replaceAll("-----[A-Z ]+-----", ""));
        // a PKCS#8 RSA key is a fixed 26-byte header around the PKCS#1 structure
        Path pkcs1 = dir.resolve("rsa1.pem");
        Files.writeString(pkcs1, pem("RSA PRIVATE KEY", Arrays.copyOfRange(der, 26, der.length)));
        TlsSettings settings = new TlsSettings("localhost", dir.resolve("unused.p12"), "secret", pkcs8.certificate(), pkcs1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsContextFactory.create(settings, provider.setting));
        assertTrue(e.getMessage().contains("does not contain valid private key"), e.getMessage());
    }

    // --- fixtures

    private TlsSettings settings(KeySource source) throws Exception {
        return switch (source) {
            case GENERATED_KEYSTORE -> new TlsSettings("localhost", dir.resolve("generated.p12"), "secret", null, null);
            case RSA_PKCS8_PEM -> exportPem(rsaKeystore(), "rsa");
            case EC_PKCS8_PEM -> exportPem(ecKeystore(), "ec");
        };
    }

    private Path rsaKeystore() throws Exception {
        Path keystore = dir.resolve("generated.p12");
        KeystoreGenerator.generateIfMissing(keystore, "secret", "localhost");
        return keystore;
    }

    private Path ecKeystore() throws Exception {
        Path keystore = dir.resolve("ec-source.p12");
        if (Files.notExists(keystore)) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", KeystoreGenerator.ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "10",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "secret", "-keypass", "secret",
                "-dname", "CN=localhost", "-noprompt").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor(), "keytool EC");
        }
        return keystore;
    }

    private TlsSettings exportPem(Path keystore, String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "secret".toCharArray());
        }
        Key key = ks.getKey(KeystoreGenerator.ALIAS, "secret".toCharArray());
        Path cert = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate(KeystoreGenerator.ALIAS).getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new TlsSettings("localhost", dir.resolve("never-created.p12"), "secret", cert, keyFile);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }

    private static SSLEngine jdkClient(String... protocols) throws Exception {
        SSLContext ctx = TrustingTls.context();
        SSLEngine engine = ctx.createSSLEngine("localhost", 993);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(protocols);
        return engine;
    }

    private static void release(SSLEngine engine) {
        if (engine instanceof ReferenceCounted counted) {
            counted.release();
        }
    }

    /** Moves handshake records between the two engines until both are done; a refused handshake throws. */
    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
        ByteBuffer app = ByteBuffer.allocate(1 << 16);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 50; round++) {
            step(client, toClient, toServer, app);
            step(server, toServer, toClient, app);
            if (done(client) && done(server) && toServer.position() == 0 && toClient.position() == 0) {
                return;
            }
        }
        // not an SSLException: a stuck pump must not pass for a refused handshake
        throw new AssertionError("handshake did not finish: client " + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus()
            + ", pending to server " + toServer.position() + ", to client " + toClient.position());
    }

    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        in.flip();
        try {
            // unwrap even without input: OpenSSL's engine completes a finished handshake only in an unwrap or wrap call
            int consumed;
            do {
                consumed = engine.unwrap(in, app).bytesConsumed();
                runTasks(engine);
            } while (consumed > 0 && in.hasRemaining());
        } finally {
            in.compact();
        }
        app.clear();
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            if (engine.wrap(ByteBuffer.allocate(0), out).bytesProduced() == 0) {
                break;
            }
            runTasks(engine);
        }
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }
}
