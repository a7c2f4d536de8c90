package org.merpati.ejb.outbound;

import java.util.List;

/**
 * Hands one queued message to the remote servers of one destination domain (MX lookup, or the smarthost when
 * one is configured) and reports per recipient. Blocking; never throws for network or DNS trouble — those
 * become {@link RecipientOutcome.Status#TEMPORARY} outcomes. Called outside any transaction.
 */
public interface RemoteDelivery {

    /** @return one outcome per recipient of the attempt, in its order */
    List<RecipientOutcome> deliver(OutboundAttempt attempt);
}
