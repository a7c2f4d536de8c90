package org.merpati.connector.netty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Builds the server {@link SslContext} of a listener. TLS 1.2 and 1.3 only (RFC 8996 retired the older ones);
 * the JDK provider, since native OpenSSL is not part of the deployment.
 */
public final class TlsContextFactory {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContextFactory() {
    }

    public static SslContext create(TlsSettings settings) throws IOException, GeneralSecurityException {
        SslContextBuilder builder;
        if (settings.usesPem()) {
            builder = SslContextBuilder.forServer(settings.certificate().toFile(), settings.privateKey().toFile());
        } else {
            KeystoreGenerator.generateIfMissing(settings.keystore(), settings.keystorePassword(), settings.serverName());
            char[] password = settings.keystorePassword().toCharArray();
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(settings.keystore())) {
                keyStore.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            builder = SslContextBuilder.forServer(kmf);
        }
        try {
            return builder.sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
        } catch (SSLException e) {
            throw new GeneralSecurityException("cannot build TLS context: " + e.getMessage(), e);
        }
    }
}
