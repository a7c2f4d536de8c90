package org.merpati.ejb.inbound;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.jboss.ejb3.annotation.ResourceAdapter;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.connector.api.Reply;
import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.SmtpListener;
import org.merpati.ejb.service.DeliveryService;
import org.merpati.ejb.service.SmtpReplies;

/**
 * The SMTP (MX) endpoint.
 * Transactions are not the listener's: {@link DeliveryService} starts them after the blob is on disk, so
 * this bean runs without one. Nothing escapes to the connector as an exception: a failure of the service
 * call itself (say, during deployment) answers 451.
 */
@MessageDriven(messageListenerInterface = SmtpListener.class, activationConfig = {
    @ActivationConfigProperty(propertyName = "port", propertyValue = "${env.MERPATI_SMTP_PORT:2525}"),
    @ActivationConfigProperty(propertyName = "bindAddress", propertyValue = "${env.MERPATI_SMTP_BIND:0.0.0.0}"),
    @ActivationConfigProperty(propertyName = "tlsMode", propertyValue = "${env.MERPATI_SMTP_TLS:STARTTLS}"),
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
    @ActivationConfigProperty(propertyName = "spoolDirectory",
            propertyValue = "${env.MERPATI_DATA_DIR:${jboss.server.data.dir}/merpati}/spool"),
    @ActivationConfigProperty(propertyName = "tlsKeystore",
            propertyValue = "${env.MERPATI_TLS_KEYSTORE:${env.MERPATI_DATA_DIR:${jboss.server.data.dir}/merpati}/tls/merpati.p12}"),
    @ActivationConfigProperty(propertyName = "tlsCertificate", propertyValue = "${env.MERPATI_TLS_CERT:}"),
    @ActivationConfigProperty(propertyName = "tlsPrivateKey", propertyValue = "${env.MERPATI_TLS_KEY:}")
})
@ResourceAdapter("merpati.ear#merpati-connector.rar")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SmtpDeliveryMdb implements SmtpListener {

    @EJB
    private DeliveryService delivery;

    @Override
    public Reply checkSender(SessionInfo session, String reversePath) {
        try {
            return delivery.checkSender(session, reversePath);
        } catch (RuntimeException e) {
            return SmtpReplies.localError();
        }
    }

    @Override
    public Reply checkRecipient(SessionInfo session, String reversePath, Recipient recipient, long declaredSize) {
        try {
            return delivery.checkRecipient(session, recipient, declaredSize);
        } catch (RuntimeException e) {
            return SmtpReplies.localError();
        }
    }

    @Override
    public List<Reply> deliver(SessionInfo session, Envelope envelope, Path spool, long size) {
        try {
            return delivery.deliver(session, envelope, spool, size, DeliveryService.Mode.SMTP);
        } catch (RuntimeException e) {
            return Collections.nCopies(envelope.recipients().size(), SmtpReplies.localError());
        }
    }
}
