package org.merpati.ejb.outbound;

import java.time.Duration;
import java.util.List;
import org.merpati.ejb.storage.jpa.OutboundRepository.Trigger;

/**
 * Where delivery triggers go: the {@code MerpatiOutbound} JMS queue in the server ({@link JmsTriggers}), a list in
 * tests. Sending joins the current transaction: a trigger exists only if the rows it points to were committed.
 */
public interface TriggerSink {

    /** Sends each trigger, to be delivered after {@code delay} (zero: now). */
    void send(List<Trigger> triggers, Duration delay);
}
