package org.merpati.ejb.inbound;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.jboss.ejb3.annotation.ResourceAdapter;
import org.merpati.connector.api.access.Pop3Listener;

/** The POP3 endpoint on the STLS port (RFC 1939, RFC 2595). Transactions belong to the service it calls. */
@MessageDriven(messageListenerInterface = Pop3Listener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "port", propertyValue = "${env.MERPATI_POP3_PORT:2110}"),
    @ActivationConfigProperty(propertyName = "bindAddress", propertyValue = "${env.MERPATI_POP3_BIND:0.0.0.0}"),
    @ActivationConfigProperty(propertyName = "tlsMode", propertyValue = "${env.MERPATI_POP3_TLS:STARTTLS}"),
    @ActivationConfigProperty(propertyName = "serverName", propertyValue = "${env.MERPATI_HOSTNAME:localhost}"),
    @ActivationConfigProperty(propertyName = "maxConnections",
            propertyValue = "${env.MERPATI_POP3_MAX_CONNECTIONS:1000}"),
    @ActivationConfigProperty(propertyName = "maxConnectionsPerIp",
            propertyValue = "${env.MERPATI_POP3_MAX_CONNECTIONS_PER_IP:20}"),
    @ActivationConfigProperty(propertyName = "idleTimeoutSeconds", propertyValue = "${env.MERPATI_POP3_IDLE_TIMEOUT:600}"),
    @ActivationConfigProperty(propertyName = "maxErrors", propertyValue = "${env.MERPATI_POP3_MAX_ERRORS:20}"),
    @ActivationConfigProperty(propertyName = "maxAuthFailures", propertyValue = "${env.MERPATI_POP3_MAX_AUTH_FAILURES:3}"),
    @ActivationConfigProperty(propertyName = "allowPlaintextAuth",
            propertyValue = "${env.MERPATI_ALLOW_PLAINTEXT_AUTH:false}"),
    @ActivationConfigProperty(propertyName = "tlsKeystore",
            propertyValue = "${env.MERPATI_TLS_KEYSTORE:${env.MERPATI_DATA_DIR:${jboss.server.data.dir}/merpati}/tls/merpati.p12}"),
    @ActivationConfigProperty(propertyName = "tlsCertificate", propertyValue = "${env.MERPATI_TLS_CERT:}"),
    @ActivationConfigProperty(propertyName = "tlsPrivateKey", propertyValue = "${env.MERPATI_TLS_KEY:}")
})
@ResourceAdapter("merpati.ear#merpati-connector.rar")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Pop3AccessMdb extends MailAccessEndpoint implements Pop3Listener {
}
