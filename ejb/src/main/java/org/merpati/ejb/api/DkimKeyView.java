package org.merpati.ejb.api;

import java.time.Instant;

/**
 * A DKIM key of a domain as the administrator sees it (never the private key).
 *
 * @param recordName  where the public key must be published ({@code selector._domainkey.domain})
 * @param recordValue the TXT value to publish there
 */
public record DkimKeyView(String domain, String selector, String algorithm, boolean active, Instant createdAt,
                          String recordName, String recordValue) {
}
