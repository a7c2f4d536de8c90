package org.merpati.ejb.cluster;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
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

    /**
     * The plain in-VM connection factory, not the pooled {@code java:/JmsXA}: events are sent from
     * {@code afterCompletion}, where the JCA-managed pool refuses work because the transaction is still ending.
     * One connection is shared (connections are thread-safe); each send uses a short-lived session.
     */
    static final String CONNECTION_FACTORY = "java:/ConnectionFactory";
    static final String TOPIC = "java:/jms/topic/merpati/Changes";

    private static final Logger LOG = Logger.getLogger(ChangeBroadcaster.class);
    private static volatile Connection connection;
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
        try (Session session = connection().createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            Message message = session.createMessage();
            new ChangeEvent(MerpatiConfig.current().nodeId(), mailboxId, highestModseq).writeTo(message);
            MessageProducer producer = session.createProducer(topic);
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            producer.send(message);
        } catch (NamingException | JMSException | RuntimeException e) {
            LOG.warnf("Could not announce the change of mailbox %d to other nodes: %s", mailboxId, e.toString());
            reset();
        }
    }

    private static Connection connection() throws NamingException, JMSException {
        Connection c = connection;
        if (c == null) {
            synchronized (ChangeBroadcaster.class) {
                c = connection;
                if (c == null) {
                    InitialContext jndi = new InitialContext();
                    topic = (Topic) jndi.lookup(TOPIC);
                    c = ((ConnectionFactory) jndi.lookup(CONNECTION_FACTORY)).createConnection();
                    connection = c;
                }
            }
        }
        return c;
    }

    /** Drops the shared connection after a failure, so that the next event connects afresh. */
    static synchronized void reset() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (JMSException ignored) {
                // closing a broken connection
            }
        }
    }
}
