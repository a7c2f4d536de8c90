package org.merpati.ejb.inbound;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.jboss.ejb3.annotation.ResourceAdapter;
import org.merpati.connector.api.access.ImapListener;

/** The IMAP endpoint on the implicit-TLS port (RFC 8314). Transactions belong to the service it calls. */
@MessageDriven(messageListenerInterface = ImapListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "port", propertyValue = "${env.MERPATI_IMAPS_PORT:2993}"),
    @ActivationConfigProperty(propertyName = "bindAddress", propertyValue = "${env.MERPATI_IMAPS_BIND:0.0.0.0}"),
    @ActivationConfigProperty(propertyName = "tlsMode", propertyValue = "${env.MERPATI_IMAPS_TLS:IMPLICIT}"),
    @ActivationConfigProperty(propertyName = "serverName", propertyValue = "${env.MERPATI_HOSTNAME:localhost}"),
    @ActivationConfigProperty(propertyName = "maxLiteralSize",
            propertyValue = "${env.MERPATI_IMAP_MAX_LITERAL_SIZE:${env.MERPATI_SMTP_MAX_MESSAGE_SIZE:52428800}}"),
    @ActivationConfigProperty(propertyName = "maxLineLength", propertyValue = "${env.MERPATI_IMAP_MAX_LINE_LENGTH:65536}"),
    @ActivationConfigProperty(propertyName = "maxConnections",
            propertyValue = "${env.MERPATI_IMAP_MAX_CONNECTIONS:10000}"),
    @ActivationConfigProperty(propertyName = "maxConnectionsPerIp",
            propertyValue = "${env.MERPATI_IMAP_MAX_CONNECTIONS_PER_IP:20}"),
    @ActivationConfigProperty(propertyName = "maxConnectionsPerUser",
            propertyValue = "${env.MERPATI_IMAP_MAX_CONNECTIONS_PER_USER:50}"),
    @ActivationConfigProperty(propertyName = "idleTimeoutSeconds", propertyValue = "${env.MERPATI_IMAP_LOGIN_TIMEOUT:60}"),
    @ActivationConfigProperty(propertyName = "authenticatedIdleTimeoutSeconds",
            propertyValue = "${env.MERPATI_IMAP_IDLE_TIMEOUT:1800}"),
    @ActivationConfigProperty(propertyName = "maxErrors", propertyValue = "${env.MERPATI_IMAP_MAX_ERRORS:20}"),
    @ActivationConfigProperty(propertyName = "maxAuthFailures", propertyValue = "${env.MERPATI_IMAP_MAX_AUTH_FAILURES:3}"),
    @ActivationConfigProperty(propertyName = "allowPlaintextAuth",
            propertyValue = "${env.MERPATI_ALLOW_PLAINTEXT_AUTH:false}"),
    @ActivationConfigProperty(propertyName = "spoolDirectory",
            propertyValue = "${env.MERPATI_DATA_DIR:${jboss.server.data.dir}/merpati}/spool"),
    @ActivationConfigProperty(propertyName = "tlsKeystore",
            propertyValue = "${env.MERPATI_TLS_KEYSTORE:${env.MERPATI_DATA_DIR:${jboss.server.data.dir}/merpati}/tls/merpati.p12}"),
    @ActivationConfigProperty(propertyName = "tlsCertificate", propertyValue = "${env.MERPATI_TLS_CERT:}"),
    @ActivationConfigProperty(propertyName = "tlsPrivateKey", propertyValue = "${env.MERPATI_TLS_KEY:}")
})
@ResourceAdapter("merpati.ear#merpati-connector.rar")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ImapsAccessMdb extends MailAccessEndpoint implements ImapListener {
}
