package org.merpati.ejb.inbound;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import org.jboss.logging.Logger;
import org.merpati.connector.api.access.MailboxChangeBus;
import org.merpati.ejb.cluster.ChangeEvent;
import org.merpati.ejb.platform.MerpatiConfig;

/**
 * Hears the other nodes' mailbox changes on the {@code MerpatiChanges} topic (a non-durable subscription: each
 * node gets every event while it runs) and publishes them on this node's {@link MailboxChangeBus}, which wakes
 * the IDLE sessions here. This node's own events are skipped: they were published locally at commit.
 */
@MessageDriven(activationConfig = {
    @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = "java:/jms/topic/merpati/Changes"),
    @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
    @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1")
})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MailboxChangeMdb implements MessageListener {

    private static final Logger LOG = Logger.getLogger(MailboxChangeMdb.class);

    @Override
    public void onMessage(Message message) {
        try {
            ChangeEvent event = ChangeEvent.from(message);
            if (event == null) {
                LOG.debugf("Ignoring a message on the changes topic that is not a change event: %s", message);
                return;
            }
            if (!event.isFrom(MerpatiConfig.current().nodeId())) {
                MailboxChangeBus.publish(event.mailboxId(), event.highestModseq());
            }
        } catch (JMSException e) {
            LOG.warnf("Unreadable change event: %s", e.toString());
        }
    }
}
