package org.merpati.ejb.outbound.dsn;

import java.time.ZonedDateTime;
import java.util.List;

/**
 * One DSN: the per-message fields and the recipients it reports on (all from one attempt's results).
 *
 * @param reportingMta   this server's host name (Reporting-MTA)
 * @param postmasterDomain the domain of the From: address (MAILER-DAEMON@...)
 * @param to             the original sender, who receives the DSN
 * @param arrivalDate    when the message was queued
 * @param envId          the ENVID parameter as received (xtext), or null
 * @param returnFull     RET=FULL: return the whole message (else its header)
 * @param recipients     at least one
 * @param date           the DSN's Date
 * @param messageId      the DSN's Message-ID, without angle brackets
 */
public record DsnReport(String reportingMta, String postmasterDomain, String to, ZonedDateTime arrivalDate,
                        String envId, boolean returnFull, List<DsnRecipient> recipients, ZonedDateTime date,
                        String messageId) {

    public DsnReport {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a DSN reports on at least one recipient");
        }
        recipients = List.copyOf(recipients);
    }
}
