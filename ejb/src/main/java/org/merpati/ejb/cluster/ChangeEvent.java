package org.merpati.ejb.cluster;

/**
 * "Mailbox {@code mailboxId} changed up to {@code highestModseq} on node {@code node}", as carried by a JMS
 * message's properties (no body), so that any JMS client can read it and message selectors could filter it.
 */
public record ChangeEvent(String node, long mailboxId, long highestModseq) {

    static final String NODE = "merpatiNode";
    static final String MAILBOX = "merpatiMailbox";
    static final String MODSEQ = "merpatiModseq";

    public ChangeEvent {
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("node id missing");
        }
    }

    /** Reads an event from a message; null when the message is not one (wrong or missing properties). */
    public static ChangeEvent from(jakarta.jms.Message message) throws jakarta.jms.JMSException {
        if (!message.propertyExists(NODE) || !message.propertyExists(MAILBOX) || !message.propertyExists(MODSEQ)) {
            return null;
        }
        String node = message.getStringProperty(NODE);
        if (node == null || node.isBlank()) {
            return null;
        }
        return new ChangeEvent(node, message.getLongProperty(MAILBOX), message.getLongProperty(MODSEQ));
    }

    /** Writes the event into a message's properties. */
    public void writeTo(jakarta.jms.Message message) throws jakarta.jms.JMSException {
        message.setStringProperty(NODE, node);
        message.setLongProperty(MAILBOX, mailboxId);
        message.setLongProperty(MODSEQ, highestModseq);
    }

    /** Events of this node were already published on its bus when they happened. */
    public boolean isFrom(String thisNode) {
        return node.equals(thisNode);
    }
}
