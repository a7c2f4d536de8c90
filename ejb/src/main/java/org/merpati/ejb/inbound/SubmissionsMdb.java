package org.merpati.ejb.inbound;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.jboss.ejb3.annotation.ResourceAdapter;
import org.merpati.connector.api.SubmissionListener;

/** The message submission endpoint on the implicit-TLS port (RFC 8314). Transactions belong to the service it calls. */
@MessageDriven(messageListenerInterface = SubmissionListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "port", propertyValue = "${env.MERPATI_SUBMISSIONS_PORT:2465}"),
    @ActivationConfigProperty(propertyName = "bindAddress", propertyValue = "${env.MERPATI_SUBMISSIONS_BIND:0.0.0.0}"),
    @ActivationConfigProperty(propertyName = "tlsMode", propertyValue = "${env.MERPATI_SUBMISSIONS_TLS:IMPLICIT}"),
    @ActivationConfigProperty(propertyName = "serverName", propertyValue = "${env.MERPATI_HOSTNAME:localhost}"),
    @ActivationConfigProperty(propertyName = "maxMessageSize",
            propertyValue = "${env.MERPATI_SMTP_MAX_MESSAGE_SIZE:52428800}"),
    @ActivationConfigProperty(propertyName = "maxRecipients",
            propertyValue = "${env.MERPATI_SMTP_MAX_RECIPIENTS:100}"),
    @ActivationConfigProperty(propertyName = "maxConnectionsPerIp",
            propertyValue = "${env.MERPATI_SMTP_MAX_CONNECTIONS_PER_IP:20}"),
    @ActivationConfigProperty(propertyName = "idleTimeoutSeconds",
            propertyValue = "${env.MERPATI_SMTP_IDLE_TIMEOUT:300}"),
    @ActivationConfigProperty(propertyName = "maxErrors", propertyValue = "${env.MERPATI_SMTP_MAX_ERRORS:10}"),
    @ActivationConfigProperty(propertyName = "maxAuthFailures",
            propertyValue = "${env.MERPATI_SUBMISSION_MAX_AUTH_FAILURES:3}"),
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
public class SubmissionsMdb extends SubmissionEndpoint {
}
