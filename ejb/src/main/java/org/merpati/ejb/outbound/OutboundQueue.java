package org.merpati.ejb.outbound;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import jakarta.ejb.Local;

import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;

/**
 * The durable outbound queue (Artemis JMS plus the queue tables). {@link #enqueue} joins the caller's
 * transaction: when it commits, the message is stored and a delivery attempt is scheduled; when it rolls back,
 * nothing is queued.
 */
@Local
public interface OutboundQueue {

    /**
     * Queues {@code message} for the remote recipients.
     *
     * @param envelope         the submission's envelope (reverse path, BODY, SMTPUTF8, RET, ENVID)
     * @param remoteRecipients the recipients to relay (a subset of the envelope's), with their DSN parameters
     * @param message          the message as it is to be sent (headers added, DKIM-signed); copied into the
     *                         store, so the caller may delete it after this returns
     * @param size             its length in bytes
     * @return the queue id of the message
     */
    long enqueue(Envelope envelope, List<Recipient> remoteRecipients, Path message, long size) throws IOException;
}
