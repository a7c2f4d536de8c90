package org.merpati.ejb.outbound;

import org.merpati.connector.api.Recipient;

/**
 * What became of one recipient in one attempt; the material of a DSN's per-recipient fields (RFC 3464).
 *
 * @param recipient      the recipient
 * @param status         delivered, try again later, or never
 * @param enhancedStatus RFC 3463 code, e.g. 2.0.0, 4.4.1 (no answer from host), 5.1.1; from the remote reply
 *                       when it had one
 * @param diagnostic     the remote server's reply ("550 5.1.1 No such user", one line, control characters
 *                       removed) when {@code smtpReply}, else a local description ("connection refused by
 *                       mx.example.org [192.0.2.1]")
 * @param smtpReply      whether {@code diagnostic} is a remote SMTP reply (DSN Diagnostic-Code type smtp)
 * @param remoteMta      the host that answered ("mx.example.org [192.0.2.1]"), or null when none did
 */
public record RecipientOutcome(Recipient recipient, Status status, String enhancedStatus, String diagnostic,
                               boolean smtpReply, String remoteMta) {

    public enum Status { DELIVERED, TEMPORARY, PERMANENT }
}
