package org.merpati.connector.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.Activation;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

import org.merpati.connector.api.access.ImapListener;
import org.merpati.connector.netty.KeystoreGenerator;
import org.merpati.connector.netty.TlsMode;

/**
 * Configures an IMAP listener (RFC 9051 / RFC 3501) for an MDB implementing {@link ImapListener}. The property
 * names are what MDBs write in {@code @ActivationConfigProperty}; keep them stable.
 */
@Activation(messageListeners = ImapListener.class)
public class ImapActivationSpec implements ActivationSpec {

    private ResourceAdapter resourceAdapter;

    @ConfigProperty(type = String.class, description = "Address to bind; 0.0.0.0 for all interfaces", defaultValue = "0.0.0.0")
    private String bindAddress = "0.0.0.0";

    @ConfigProperty(type = Integer.class, description = "TCP port (993 is IMAPS with IMPLICIT, 143 IMAP with STARTTLS)", defaultValue = "2143")
    private Integer port = 2143;

    @ConfigProperty(type = String.class, description = "NONE, STARTTLS or IMPLICIT", defaultValue = "STARTTLS")
    private String tlsMode = "STARTTLS";

    @ConfigProperty(type = String.class, description = "Host name in the greeting and generated certificate (default: the local host name)")
    private String serverName = Defaults.localHostName();

    @ConfigProperty(type = Integer.class, description = "Longest command line in bytes, CRLF not counted", defaultValue = "65536")
    private Integer maxLineLength = 65536;

    @ConfigProperty(type = Long.class, description = "Largest APPEND message in bytes (announced as APPENDLIMIT)", defaultValue = "52428800")
    private Long maxLiteralSize = 52428800L;

    @ConfigProperty(type = Integer.class, description = "Open connections at most", defaultValue = "1000")
    private Integer maxConnections = 1000;

    @ConfigProperty(type = Integer.class, description = "Open connections at most from one client address", defaultValue = "20")
    private Integer maxConnectionsPerIp = 20;

    @ConfigProperty(type = Integer.class, description = "Authenticated connections at most per user", defaultValue = "50")
    private Integer maxConnectionsPerUser = 50;

    @ConfigProperty(type = Integer.class, description = "Seconds without activity before a connection that has not logged in is closed", defaultValue = "60")
    private Integer idleTimeoutSeconds = 60;

    @ConfigProperty(type = Integer.class, description = "Seconds without activity before a logged-in connection is closed (also bounds IDLE; RFC 9051 asks for at least 30 minutes)", defaultValue = "1800")
    private Integer authenticatedIdleTimeoutSeconds = 1800;

    @ConfigProperty(type = Integer.class, description = "BAD responses before the connection is closed with BYE", defaultValue = "20")
    private Integer maxErrors = 20;

    @ConfigProperty(type = Integer.class, description = "Failed logins per connection before BYE (each answered after a growing delay)", defaultValue = "3")
    private Integer maxAuthFailures = 3;

    @ConfigProperty(type = Boolean.class, description = "Whether LOGIN and AUTHENTICATE are allowed without TLS (else LOGINDISABLED)", defaultValue = "false")
    private Boolean allowPlaintextAuth = Boolean.FALSE;

    @ConfigProperty(type = String.class, description = "Directory for APPEND messages while they arrive (default: ${jboss.server.data.dir}/merpati/spool)")
    private String spoolDirectory = Defaults.dataPath("spool", "merpati-spool");

    @ConfigProperty(type = String.class, description = "PKCS12 keystore; generated self-signed when missing")
    private String tlsKeystore = Defaults.dataPath("tls/merpati.p12", "merpati-tls/merpati.p12");

    @ConfigProperty(type = String.class, description = "Keystore password", defaultValue = "merpati", confidential = true)
    private String tlsKeystorePassword = "merpati";

    @ConfigProperty(type = String.class, description = "PEM certificate chain; with tlsPrivateKey replaces the keystore")
    private String tlsCertificate = "";

    @ConfigProperty(type = String.class, description = "PEM private key (PKCS#8); with tlsCertificate replaces the keystore")
    private String tlsPrivateKey = "";

    /** For logs: "IMAP". */
    public String protocol() {
        return "IMAP";
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

    public Long getMaxLiteralSize() {
        return maxLiteralSize;
    }

    public void setMaxLiteralSize(Long maxLiteralSize) {
        this.maxLiteralSize = maxLiteralSize;
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

    public Integer getMaxConnectionsPerUser() {
        return maxConnectionsPerUser;
    }

    public void setMaxConnectionsPerUser(Integer maxConnectionsPerUser) {
        this.maxConnectionsPerUser = maxConnectionsPerUser;
    }

    public Integer getIdleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    public void setIdleTimeoutSeconds(Integer idleTimeoutSeconds) {
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    public Integer getAuthenticatedIdleTimeoutSeconds() {
        return authenticatedIdleTimeoutSeconds;
    }

    public void setAuthenticatedIdleTimeoutSeconds(Integer authenticatedIdleTimeoutSeconds) {
        this.authenticatedIdleTimeoutSeconds = authenticatedIdleTimeoutSeconds;
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

    public String getSpoolDirectory() {
        return spoolDirectory;
    }

    public void setSpoolDirectory(String spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
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

    @Override
    public void validate() throws InvalidPropertyException {
        require(bindAddress != null && !bindAddress.isBlank(), "bindAddress", "must not be empty");
        require(port != null && port >= 0 && port <= 65535, "port", "must be 0..65535");
        try {
            TlsMode.parse(tlsMode);
        } catch (IllegalArgumentException e) {
            throw new InvalidPropertyException("tlsMode: " + e.getMessage());
        }
        require(serverName != null && !serverName.isBlank(), "serverName", "must not be empty");
        require(maxLineLength != null && maxLineLength >= 1000, "maxLineLength", "must be at least 1000 (RFC 7162 asks for 8192)");
        require(maxLiteralSize != null && maxLiteralSize > 0, "maxLiteralSize", "must be positive");
        require(maxConnections != null && maxConnections >= 1, "maxConnections", "must be positive");
        require(maxConnectionsPerIp != null && maxConnectionsPerIp >= 1, "maxConnectionsPerIp", "must be positive");
        require(maxConnectionsPerUser != null && maxConnectionsPerUser >= 1, "maxConnectionsPerUser", "must be positive");
        require(idleTimeoutSeconds != null && idleTimeoutSeconds >= 1, "idleTimeoutSeconds", "must be positive");
        require(authenticatedIdleTimeoutSeconds != null && authenticatedIdleTimeoutSeconds >= 1,
            "authenticatedIdleTimeoutSeconds", "must be positive");
        require(maxErrors != null && maxErrors >= 1, "maxErrors", "must be positive");
        require(maxAuthFailures != null && maxAuthFailures >= 1, "maxAuthFailures", "must be positive");
        require(spoolDirectory != null && !spoolDirectory.isBlank(), "spoolDirectory", "must not be empty");
        boolean cert = tlsCertificate != null && !tlsCertificate.isBlank();
        boolean key = tlsPrivateKey != null && !tlsPrivateKey.isBlank();
        require(cert == key, cert ? "tlsPrivateKey" : "tlsCertificate", "tlsCertificate and tlsPrivateKey go together");
        if (!cert && TlsMode.parse(tlsMode) != TlsMode.NONE) {
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
        return "ImapActivationSpec[" + bindAddress + ":" + port + " " + tlsMode + "]";
    }
}
