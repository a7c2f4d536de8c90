package org.merpati.connector.netty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Builds the server {@link SslContext} of a listener. TLS 1.2 and 1.3 only (RFC 8996 retired the older ones), with
 * Netty's default cipher suites, the same list for both providers (BoringSSL adds TLS 1.3's ChaCha20, which it does
 * not let anyone disable).
 *
 * <p>The provider follows {@link TlsProviderSetting}: OpenSSL (BoringSSL from netty-tcnative) when it loads, because
 * the JDK's AES-GCM cost about 15% of the server's CPU in the IMAP benchmark, else the JDK. {@link SslProvider#OPENSSL}
 * rather than {@code OPENSSL_REFCNT}: SslHandler releases each engine's native state when its channel closes either
 * way, and the context, which no listener releases explicitly, is freed by its finalizer once unreachable (after a
 * listener stops or an undeploy) instead of leaking.
 */
public final class TlsContextFactory {

    private static final Logger LOG = Logger.getLogger(TlsContextFactory.class.getName());
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** The last choice logged: every listener builds a context, the choice is told once. */
    private static final AtomicReference<String> LOGGED = new AtomicReference<>();

    private TlsContextFactory() {
    }

    /** A context with the provider {@code MERPATI_TLS_PROVIDER} asks for. */
    public static SslContext create(TlsSettings settings) throws IOException, GeneralSecurityException {
        return create(settings, TlsProviderSetting.current());
    }

    /** @throws GeneralSecurityException also when {@code setting} requires OpenSSL and it is unavailable */
    public static SslContext create(TlsSettings settings, TlsProviderSetting setting) throws IOException, GeneralSecurityException {
        SslProvider provider = provider(setting);
        SslContextBuilder builder;
        if (settings.usesPem()) {
            // PKCS#8 PEM, parsed by Netty in Java for both providers (so the same files work, or fail, with either)
            builder = SslContextBuilder.forServer(settings.certificate().toFile(), settings.privateKey().toFile());
        } else {
            KeystoreGenerator.generateIfMissing(settings.keystore(), settings.keystorePassword(), settings.serverName());
            char[] password = settings.keystorePassword().toCharArray();
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(settings.keystore())) {
                keyStore.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            if (provider == SslProvider.OPENSSL) {
                // OpenSSL would otherwise convert the key and chain to native form at every handshake
                kmf = new OpenSslCachingX509KeyManagerFactory(kmf);
            }
            kmf.init(keyStore, password);
            builder = SslContextBuilder.forServer(kmf);
        }
        try {
            return builder.sslProvider(provider).protocols(PROTOCOLS).build();
        } catch (SSLException e) {
            throw new GeneralSecurityException("cannot build TLS context (" + provider + "): " + e.getMessage(), e);
        }
    }

    /** The provider for {@code setting}; logs the choice, and why when {@code auto} falls back to the JDK. */
    static SslProvider provider(TlsProviderSetting setting) throws GeneralSecurityException {
        // "jdk" does not touch OpenSsl, whose class initialization loads the native library
        boolean available = setting != TlsProviderSetting.JDK && OpenSsl.isAvailable();
        Throwable cause = setting == TlsProviderSetting.JDK || available ? null : OpenSsl.unavailabilityCause();
        SslProvider provider = setting.choose(available, cause);
        String choice = "Merpati TLS provider: " + provider + " (" + TlsProviderSetting.KEY + "=" + setting
            + (available ? "; " + OpenSsl.versionString() + " from netty-tcnative" : "")
            + (cause != null ? "; OpenSSL unavailable: " + cause : "") + ")";
        if (!choice.equals(LOGGED.getAndSet(choice))) {
            LOG.log(Level.INFO, choice);
            if (cause != null) {
                LOG.log(Level.FINE, "why OpenSSL is unavailable", cause);
            }
        }
        return provider;
    }
}
