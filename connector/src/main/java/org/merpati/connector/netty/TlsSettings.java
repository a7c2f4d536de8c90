package org.merpati.connector.netty;

import java.nio.file.Path;

/**
 * Where the server's certificate comes from: PEM files when both are given, else a PKCS12 keystore (generated
 * self-signed at first start when missing).
 *
 * @param serverName  the host name written into a generated certificate
 * @param keystore    PKCS12 keystore file
 * @param keystorePassword password of the keystore and its key
 * @param certificate PEM certificate chain, or null
 * @param privateKey  PEM private key (PKCS#8, unencrypted), or null
 */
public record TlsSettings(String serverName, Path keystore, String keystorePassword, Path certificate, Path privateKey) {

    public boolean usesPem() {
        return certificate != null && privateKey != null;
    }
}
