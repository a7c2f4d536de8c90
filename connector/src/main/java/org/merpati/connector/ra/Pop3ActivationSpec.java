package org.merpati.connector.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

import org.merpati.connector.api.access.Pop3Listener;
import org.merpati.connector.netty.KeystoreGenerator;
import org.merpati.connector.netty.TlsMode;

/**
 * Configures a POP3 listener (RFC 1939) for an MDB implementing {@link Pop3Listener}. The property names are
 * what MDBs write in {@code @ActivationConfigProperty}; keep them stable.
 */
@Activation(messageListeners = Pop3Listener.class)
public class Pop3ActivationSpec implements ActivationSpec {

    private ResourceAdapter resourceAdapter;

    @ConfigProperty(type = String.class, description = "Address to bind; 0.0.0.0 for all interfaces", defaultValue = "0.0.0.0")
    private String bindAddress = "0.0.0.0";

    @ConfigProperty(type = Integer.class, description = "TCP port (995 is POP3S with IMPLICIT, 110 POP3 with STARTTLS)", defaultValue = "2110")
    private Integer port = 2110;

    @ConfigProperty(type = String.class, description = "NONE, STARTTLS (the STLS command) or IMPLICIT", defaultValue = "STARTTLS")
    private String tlsMode = "STARTTLS";

    @ConfigProperty(type = String.class, description = "Host name in the greeting and generated certificate (default: the local host name)")
    private String serverName = Defaults.localHostName();

    @ConfigProperty(type = Integer.class, description = "Longest command or AUTH response line in bytes, CRLF not counted (RFC 2449 asks for 255; AUTH initial responses need more)", defaultValue = "8192")
    private Integer maxLineLength = 8192;

    @ConfigProperty(type = Integer.class, description = "Open connections at most", defaultValue = "1000")
    private Integer maxConnections = 1000;

    @ConfigProperty(type = Integer.class, description = "Open connections at most from one client address", defaultValue = "20")
    private Integer maxConnectionsPerIp = 20;

    @ConfigProperty(type = Integer.class, description = "Seconds without activity before the connection is closed (RFC 1939: at least 600)", defaultValue = "600")
    private Integer idleTimeoutSeconds = 600;

    @ConfigProperty(type = Integer.class, description = "-ERR replies before the connection is closed", defaultValue = "20")
    private Integer maxErrors = 20;

    @ConfigProperty(type = Integer.class, description = "Failed logins before the connection is closed (each answered after a growing delay)", defaultValue = "3")
    private Integer maxAuthFailures = 3;

    @ConfigProperty(type = Boolean.class, description = "Whether USER/PASS and AUTH are allowed without TLS", defaultValue = "false")
    private Boolean allowPlaintextAuth = Boolean.FALSE;

    @ConfigProperty(type = String.class, description = "PKCS12 keystore; generated self-signed when missing")
    private String tlsKeystore = Defaults.dataPath("tls/merpati.p12", "merpati-tls/merpati.p12");

    @ConfigProperty(type = String.class, description = "Keystore password", defaultValue = "merpati", confidential = true)
    private String tlsKeystorePassword = "merpati";

    @ConfigProperty(type = String.class, description = "PEM certificate chain; with tlsPrivateKey replaces the keystore")
    private String tlsCertificate = "";

    @ConfigProperty(type = String.class, description = "PEM private key (PKCS#8); with tlsCertificate replaces the keystore")
    private String tlsPrivateKey = "";

    /** For logs: "POP3". */
    public String protocol() {
        return "POP3";
    }

    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getTlsMode() {
        return tlsMode;
    }

    public void setTlsMode(String tlsMode) {
        this.tlsMode = tlsMode;
    }

    public String getServerName() {
        return serverName;
    }

    public void setServerName(String serverName) {
        this.serverName = serverName;
    }

    public Integer getMaxLineLength() {
        return maxLineLength;
    }

    public void setMaxLineLength(Integer maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Integer getMaxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    public void setMaxConnectionsPerIp(Integer maxConnectionsPerIp) {
        this.maxConnectionsPerIp = maxConnectionsPerIp;
    }

    public Integer getIdleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    public void setIdleTimeoutSeconds(Integer idleTimeoutSeconds) {
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    public Integer getMaxErrors() {
        return maxErrors;
    }

    public void setMaxErrors(Integer maxErrors) {
        this.maxErrors = maxErrors;
    }

    public Integer getMaxAuthFailures() {
        return maxAuthFailures;
    }

    public void setMaxAuthFailures(Integer maxAuthFailures) {
        this.maxAuthFailures = maxAuthFailures;
    }

    public Boolean getAllowPlaintextAuth() {
        return allowPlaintextAuth;
    }

    public void setAllowPlaintextAuth(Boolean allowPlaintextAuth) {
        this.allowPlaintextAuth = allowPlaintextAuth;
    }

    public String getTlsKeystore() {
        return tlsKeystore;
    }

    public void setTlsKeystore(String tlsKeystore) {
        this.tlsKeystore = tlsKeystore;
    }

    public String getTlsKeystorePassword() {
        return tlsKeystorePassword;
    }

    public void setTlsKeystorePassword(String tlsKeystorePassword) {
        this.tlsKeystorePassword = tlsKeystorePassword;
    }

    public String getTlsCertificate() {
        return tlsCertificate;
    }

    public void setTlsCertificate(String tlsCertificate) {
        this.tlsCertificate = tlsCertificate;
    }

    public String getTlsPrivateKey() {
        return tlsPrivateKey;
    }

    public void setTlsPrivateKey(String tlsPrivateKey) {
        this.tlsPrivateKey = tlsPrivateKey;
    }

    /** Checks every property, so a bad value fails at deployment with its name. */
    @Override
    public void validate() throws InvalidPropertyException {
        require(bindAddress != null && !bindAddress.isBlank(), "bindAddress", "must not be empty");
        require(port != null && port >= 0 && port <= 65535, "port", "must be 0..65535");
        TlsMode mode;
        try {
            mode = TlsMode.parse(tlsMode);
        } catch (IllegalArgumentException e) {
            throw new InvalidPropertyException("tlsMode: " + e.getMessage());
        }
        require(serverName != null && !serverName.isBlank(), "serverName", "must not be empty");
        require(maxLineLength != null && maxLineLength >= 255, "maxLineLength", "must be at least 255 (RFC 2449)");
        require(maxConnections != null && maxConnections >= 1, "maxConnections", "must be positive");
        require(maxConnectionsPerIp != null && maxConnectionsPerIp >= 1, "maxConnectionsPerIp", "must be positive");
        require(idleTimeoutSeconds != null && idleTimeoutSeconds >= 1, "idleTimeoutSeconds", "must be positive");
        require(maxErrors != null && maxErrors >= 1, "maxErrors", "must be positive");
        require(maxAuthFailures != null && maxAuthFailures >= 1, "maxAuthFailures", "must be positive");
        require(allowPlaintextAuth != null, "allowPlaintextAuth", "must be true or false");
        boolean cert = tlsCertificate != null && !tlsCertificate.isBlank();
        boolean key = tlsPrivateKey != null && !tlsPrivateKey.isBlank();
        require(cert == key, cert ? "tlsPrivateKey" : "tlsCertificate", "tlsCertificate and tlsPrivateKey go together");
        if (!cert && mode != TlsMode.NONE) {
            require(tlsKeystore != null && !tlsKeystore.isBlank(), "tlsKeystore", "must not be empty when TLS is on");
            require(tlsKeystorePassword != null && tlsKeystorePassword.length() >= KeystoreGenerator.MIN_PASSWORD,
                "tlsKeystorePassword", "must have at least " + KeystoreGenerator.MIN_PASSWORD + " characters");
        }
    }

    private static void require(boolean ok, String property, String message) throws InvalidPropertyException {
        if (!ok) {
            throw new InvalidPropertyException(property + ": " + message);
        }
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter resourceAdapter) throws ResourceException {
        this.resourceAdapter = resourceAdapter;
    }

    @Override
    public String toString() {
        return "Pop3ActivationSpec[" + bindAddress + ":" + port + " " + tlsMode + "]";
    }
}
