package org.merpati.ejb.outbound.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The two kinds of client TLS: opportunistic (RFC 7435: encrypt when offered, accept any certificate, since
 * refusing would only push the mail to plain text) and verified (certificate chain trusted and naming the
 * host: smarthost, MTA-STS enforce).
 */
final class TlsContexts {

    private TlsContexts() {
    }

    /** Accepts every certificate; for opportunistic STARTTLS only. */
    static SSLContext opportunistic() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AcceptAnyCertificate()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }

    /** Trusts the certificates of {@code trustStore} (PKCS12 or JKS), or the JDK's when it is null. */
    static SSLContext verified(Path trustStore, String password) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trustStore == null) {
                factory.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance(trustStore.toString().endsWith(".jks") ? "JKS" : "PKCS12");
                try (InputStream in = Files.newInputStream(trustStore)) {
                    store.load(in, password == null ? null : password.toCharArray());
                }
                factory.init(store);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot load the outbound trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    private static final class AcceptAnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
