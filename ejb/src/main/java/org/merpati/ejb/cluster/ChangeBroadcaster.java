package org.merpati.ejb.cluster;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.Topic;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.jboss.logging.Logger;
import org.merpati.ejb.platform.MerpatiConfig;

/**
 * Sends this node's committed mailbox changes to the {@code MerpatiChanges} topic when clustering is on
 * ({@code MERPATI_CLUSTER=true}). Events are hints, not data: non-persistent, sent after the commit outside any
 * transaction, and a failure to send is logged and dropped — sessions on other nodes still see the change at
 * their next command, only an IDLE client waits for its next poll.
 */
public final class ChangeBroadcaster {

    /** The pooled connection factory of WildFly's messaging subsystem, and the topic configure.cli creates. */
    static final String CONNECTION_FACTORY = "java:/JmsXA";
    static final String TOPIC = "java:/jms/topic/merpati/Changes";

    private static final Logger LOG = Logger.getLogger(ChangeBroadcaster.class);
    private static volatile ConnectionFactory factory;
    private static volatile Topic topic;

    private ChangeBroadcaster() {
    }

    public static boolean enabled() {
        return MerpatiConfig.current().cluster();
    }

    /** Announces a change made on this node; does nothing unless clustering is on. */
    public static void announce(long mailboxId, long highestModseq) {
        if (!enabled()) {
            return;
        }
        try (JMSContext context = factory().createContext()) {
            Message message = context.createMessage();
            new ChangeEvent(MerpatiConfig.current().nodeId(), mailboxId, highestModseq).writeTo(message);
            context.createProducer().setDeliveryMode(DeliveryMode.NON_PERSISTENT).send(topic, message);
        } catch (NamingException | JMSException | JMSRuntimeException e) {
            LOG.warnf("Could not announce the change of mailbox %d to other nodes: %s", mailboxId, e.toString());
        }
    }

    private static ConnectionFactory factory() throws NamingException {
        ConnectionFactory f = factory;
        if (f == null) {
            InitialContext jndi = new InitialContext();
            topic = (Topic) jndi.lookup(TOPIC);
            f = (ConnectionFactory) jndi.lookup(CONNECTION_FACTORY);
            factory = f;
        }
        return f;
    }
}
