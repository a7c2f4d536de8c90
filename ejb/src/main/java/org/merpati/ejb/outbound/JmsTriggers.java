package org.merpati.ejb.outbound;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import java.time.Duration;
import java.util.List;
import org.merpati.ejb.storage.jpa.OutboundRepository.Trigger;

/**
 * Triggers as persistent JMS map messages on {@code MerpatiOutbound}, sent through the pooled XA factory
 * {@code java:/JmsXA} so that they are part of the caller's JTA transaction. A delay becomes the JMS 2.0
 * delivery delay (Artemis keeps such a message as a scheduled message, persistent across restarts).
 */
public final class JmsTriggers implements TriggerSink {

    public static final String CONNECTION_FACTORY = "java:/JmsXA";
    public static final String QUEUE = "java:/jms/queue/merpati/Outbound";

    static final String MESSAGE_ID = "messageId";
    static final String DOMAIN = "domain";
    static final String GENERATION = "generation";

    private final ConnectionFactory factory;
    private final Queue queue;

    public JmsTriggers(ConnectionFactory factory, Queue queue) {
        this.factory = factory;
        this.queue = queue;
    }

    @Override
    public void send(List<Trigger> triggers, Duration delay) {
        if (triggers.isEmpty()) {
            return;
        }
        try (JMSContext context = factory.createContext()) {
            JMSProducer producer = context.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT);
            if (delay != null && !delay.isNegative() && !delay.isZero()) {
                producer.setDeliveryDelay(delay.toMillis());
            }
            for (Trigger t : triggers) {
                MapMessage message = context.createMapMessage();
                message.setLong(MESSAGE_ID, t.messageId());
                message.setString(DOMAIN, t.domain());
                message.setLong(GENERATION, t.generation());
                producer.send(queue, message);
            }
        } catch (JMSException e) {
            throw new IllegalStateException("Could not queue a delivery trigger: " + e, e);
        }
    }

    /** The trigger a JMS message carries, or null when it is not one. */
    public static Trigger read(Message message) throws JMSException {
        if (!(message instanceof MapMessage map) || !map.itemExists(MESSAGE_ID) || !map.itemExists(DOMAIN)
                || !map.itemExists(GENERATION)) {
            return null;
        }
        return new Trigger(map.getLong(MESSAGE_ID), map.getString(DOMAIN), map.getLong(GENERATION));
    }
}
