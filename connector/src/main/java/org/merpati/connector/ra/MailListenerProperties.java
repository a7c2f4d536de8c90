package org.merpati.connector.ra;

import jakarta.resource.spi.InvalidPropertyException;

import org.merpati.connector.netty.KeystoreGenerator;
import org.merpati.connector.netty.TlsMode;

/** The configuration the SMTP, LMTP and submission activation specs share, as the rest of the adapter reads it. */
public interface MailListenerProperties {

    /** SMTP, LMTP or SUBMISSION. */
    String protocol();

    String getBindAddress();

    Integer getPort();

    String getTlsMode();

    String getServerName();

    Long getMaxMessageSize();

    Integer getMaxLineLength();

    Integer getMaxRecipients();

    Integer getMaxConnections();

    Integer getMaxConnectionsPerIp();

    Integer getIdleTimeoutSeconds();

    Integer getMaxErrors();

    Boolean getVrfyEnabled();

    String getSpoolDirectory();

    String getTlsKeystore();

    String getTlsKeystorePassword();

    String getTlsCertificate();

    String getTlsPrivateKey();

    /** The checks of {@code ActivationSpec.validate()}, so a bad value fails at deployment with its name. */
    static void check(MailListenerProperties p) throws InvalidPropertyException {
        require(p.getBindAddress() != null && !p.getBindAddress().isBlank(), "bindAddress", "must not be empty");
        require(p.getPort() != null && p.getPort() >= 0 && p.getPort() <= 65535, "port", "must be 0..65535");
        try {
            TlsMode.parse(p.getTlsMode());
        } catch (IllegalArgumentException e) {
            throw invalid("tlsMode", e.getMessage());
        }
        require(p.getServerName() != null && !p.getServerName().isBlank(), "serverName", "must not be empty");
        require(p.getMaxMessageSize() != null && p.getMaxMessageSize() > 0, "maxMessageSize", "must be positive");
        require(p.getMaxLineLength() != null && p.getMaxLineLength() >= 510, "maxLineLength", "must be at least 510 (RFC 5321)");
        require(p.getMaxRecipients() != null && p.getMaxRecipients() >= 1, "maxRecipients", "must be positive");
        require(p.getMaxConnections() != null && p.getMaxConnections() >= 1, "maxConnections", "must be positive");
        require(p.getMaxConnectionsPerIp() != null && p.getMaxConnectionsPerIp() >= 1, "maxConnectionsPerIp", "must be positive");
        require(p.getIdleTimeoutSeconds() != null && p.getIdleTimeoutSeconds() >= 1, "idleTimeoutSeconds", "must be positive");
        require(p.getMaxErrors() != null && p.getMaxErrors() >= 1, "maxErrors", "must be positive");
        require(p.getSpoolDirectory() != null && !p.getSpoolDirectory().isBlank(), "spoolDirectory", "must not be empty");
        boolean cert = p.getTlsCertificate() != null && !p.getTlsCertificate().isBlank();
        boolean key = p.getTlsPrivateKey() != null && !p.getTlsPrivateKey().isBlank();
        require(cert == key, cert ? "tlsPrivateKey" : "tlsCertificate", "tlsCertificate and tlsPrivateKey go together");
        if (!cert && TlsMode.parse(p.getTlsMode()) != TlsMode.NONE) {
            require(p.getTlsKeystore() != null && !p.getTlsKeystore().isBlank(), "tlsKeystore", "must not be empty when TLS is on");
            require(p.getTlsKeystorePassword() != null && p.getTlsKeystorePassword().length() >= KeystoreGenerator.MIN_PASSWORD,
                "tlsKeystorePassword", "must have at least " + KeystoreGenerator.MIN_PASSWORD + " characters");
        }
    }

    private static void require(boolean ok, String property, String message) throws InvalidPropertyException {
        if (!ok) {
            throw invalid(property, message);
        }
    }

    private static InvalidPropertyException invalid(String property, String message) {
        return new InvalidPropertyException(property + ": " + message);
    }
}
