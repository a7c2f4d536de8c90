package org.merpati.connector.ra;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ResourceAdapter;

/**
 * The properties the SMTP-family listeners (MX, LMTP, submission) share, with their {@code @ConfigProperty}
 * metadata. A plain class on purpose: IronJacamar attaches the {@code @ConfigProperty} metadata of a superclass of
 * an activation spec only when that superclass is not itself an {@code ActivationSpec}
 * ({@code Annotations.attachActivation}), so each spec extends this and implements {@code ActivationSpec} itself.
 */
public abstract class SmtpFamilyActivationProperties implements MailListenerProperties {


    private ResourceAdapter resourceAdapter;

    @ConfigProperty(type = String.class, description = "Address to bind; 0.0.0.0 for all interfaces")
    private String bindAddress;

    @ConfigProperty(type = Integer.class, description = "TCP port")
    private Integer port;

    @ConfigProperty(type = String.class, description = "NONE, STARTTLS or IMPLICIT")
    private String tlsMode;

    @ConfigProperty(type = String.class, description = "Host name in the greeting, EHLO reply and generated certificate (default: the local host name)")
    private String serverName = Defaults.localHostName();

    @ConfigProperty(type = Long.class, description = "Largest message in bytes (advertised in SIZE)", defaultValue = "52428800")
    private Long maxMessageSize = 52428800L;

    @ConfigProperty(type = Integer.class, description = "Longest command line in bytes, CRLF not counted", defaultValue = "2048")
    private Integer maxLineLength = 2048;

    @ConfigProperty(type = Integer.class, description = "Recipients per transaction", defaultValue = "100")
    private Integer maxRecipients = 100;

    @ConfigProperty(type = Integer.class, description = "Open connections at most", defaultValue = "1000")
    private Integer maxConnections = 1000;

    @ConfigProperty(type = Integer.class, description = "Open connections at most from one client address", defaultValue = "20")
    private Integer maxConnectionsPerIp = 20;

    @ConfigProperty(type = Integer.class, description = "Seconds without input before the connection is closed", defaultValue = "300")
    private Integer idleTimeoutSeconds = 300;

    @ConfigProperty(type = Integer.class, description = "Negative replies before the session is closed", defaultValue = "10")
    private Integer maxErrors = 10;

    @ConfigProperty(type = Boolean.class, description = "Whether VRFY asks the directory (else 252)", defaultValue = "false")
    private Boolean vrfyEnabled = Boolean.FALSE;

    @ConfigProperty(type = String.class, description = "Directory for messages while they arrive (default: ${jboss.server.data.dir}/merpati/spool)")
    private String spoolDirectory = Defaults.dataPath("spool", "merpati-spool");

    @ConfigProperty(type = String.class, description = "PKCS12 keystore; generated self-signed when missing")
    private String tlsKeystore = Defaults.dataPath("tls/merpati.p12", "merpati-tls/merpati.p12");

    @ConfigProperty(type = String.class, description = "Keystore password", defaultValue = "merpati", confidential = true)
    private String tlsKeystorePassword = "merpati";

    @ConfigProperty(type = String.class, description = "PEM certificate chain; with tlsPrivateKey replaces the keystore")
    private String tlsCertificate = "";

    @ConfigProperty(type = String.class, description = "PEM private key (PKCS#8); with tlsCertificate replaces the keystore")
    private String tlsPrivateKey = "";

    /** The listener's defaults where the SMTP-family specs differ. */
    protected SmtpFamilyActivationProperties(String bindAddress, int port, String tlsMode) {
        this.bindAddress = bindAddress;
        this.port = port;
        this.tlsMode = tlsMode;
    }

    @Override
    public String getBindAddress() {
        return bindAddress;
    }

    public void setBindAddress(String bindAddress) {
        this.bindAddress = bindAddress;
    }

    @Override
    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    @Override
    public String getTlsMode() {
        return tlsMode;
    }

    public void setTlsMode(String tlsMode) {
        this.tlsMode = tlsMode;
    }

    @Override
    public String getServerName() {
        return serverName;
    }

    public void setServerName(String serverName) {
        this.serverName = serverName;
    }

    @Override
    public Long getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(Long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public Integer getMaxLineLength() {
        return maxLineLength;
    }

    public void setMaxLineLength(Integer maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    @Override
    public Integer getMaxRecipients() {
        return maxRecipients;
    }

    public void setMaxRecipients(Integer maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    @Override
    public Integer getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    @Override
    public Integer getMaxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    public void setMaxConnectionsPerIp(Integer maxConnectionsPerIp) {
        this.maxConnectionsPerIp = maxConnectionsPerIp;
    }

    @Override
    public Integer getIdleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    public void setIdleTimeoutSeconds(Integer idleTimeoutSeconds) {
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    @Override
    public Integer getMaxErrors() {
        return maxErrors;
    }

    public void setMaxErrors(Integer maxErrors) {
        this.maxErrors = maxErrors;
    }

    @Override
    public Boolean getVrfyEnabled() {
        return vrfyEnabled;
    }

    public void setVrfyEnabled(Boolean vrfyEnabled) {
        this.vrfyEnabled = vrfyEnabled;
    }

    @Override
    public String getSpoolDirectory() {
        return spoolDirectory;
    }

    public void setSpoolDirectory(String spoolDirectory) {
        this.spoolDirectory = spoolDirectory;
    }

    @Override
    public String getTlsKeystore() {
        return tlsKeystore;
    }

    public void setTlsKeystore(String tlsKeystore) {
        this.tlsKeystore = tlsKeystore;
    }

    @Override
    public String getTlsKeystorePassword() {
        return tlsKeystorePassword;
    }

    public void setTlsKeystorePassword(String tlsKeystorePassword) {
        this.tlsKeystorePassword = tlsKeystorePassword;
    }

    @Override
    public String getTlsCertificate() {
        return tlsCertificate;
    }

    public void setTlsCertificate(String tlsCertificate) {
        this.tlsCertificate = tlsCertificate;
    }

    @Override
    public String getTlsPrivateKey() {
        return tlsPrivateKey;
    }

    public void setTlsPrivateKey(String tlsPrivateKey) {
        this.tlsPrivateKey = tlsPrivateKey;
    }

    public void validate() throws InvalidPropertyException {
        MailListenerProperties.check(this);
    }

    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    public void setResourceAdapter(ResourceAdapter resourceAdapter) throws ResourceException {
        this.resourceAdapter = resourceAdapter;
    }

}
