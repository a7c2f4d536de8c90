package org.merpati.ejb.outbound.dsn;

import java.time.Instant;
import java.util.Locale;

/**
 * The per-recipient fields of a DSN (RFC 3464 section 2.3). Values are as received or reported; the builder
 * cleans them.
 *
 * @param address        the recipient as queued (Final-Recipient)
 * @param orcpt          the ORCPT parameter as received ({@code rfc822;xtext}), or null
 * @param action         what happened
 * @param status         RFC 3463 code, e.g. 5.1.1
 * @param diagnostic     the remote reply or a local description, or null
 * @param smtpDiagnostic whether {@code diagnostic} is a remote SMTP reply (Diagnostic-Code type smtp, else X-Merpati)
 * @param remoteMta      the host that answered ("mx.example.org [192.0.2.1]"), or null
 * @param lastAttempt    when the last attempt ended, or null
 * @param willRetryUntil for {@link Action#DELAYED}: when the queue gives up, or null
 */
public record DsnRecipient(String address, String orcpt, Action action, String status, String diagnostic,
                           boolean smtpDiagnostic, String remoteMta, Instant lastAttempt, Instant willRetryUntil) {

    /** RFC 3464 section 2.3.3. */
    public enum Action {
        FAILED, DELAYED, DELIVERED, RELAYED, EXPANDED;

        public String field() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
