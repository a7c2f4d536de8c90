package org.merpati.ejb.api;

import jakarta.ejb.Local;
import java.util.List;

/**
 * Administration of DKIM keys per domain and the DNS records a domain needs. Failures are
 * {@link org.merpati.ejb.domain.MailException}s (NOT_FOUND for an unknown domain or selector, EXISTS for a
 * selector in use, INVALID for a bad algorithm or selector).
 */
@Local
public interface DkimKeyAdmin {

    /**
     * Generates and stores an active key.
     *
     * @param algorithm rsa (RSA 2048, rsa-sha256; the default when null) or ed25519 (ed25519-sha256)
     * @param selector  the selector, or null for {@code merpati-rsa-YYYYMM} / {@code merpati-ed-YYYYMM}
     */
    DkimKeyView generateKey(String domain, String algorithm, String selector);

    /** Every key of the domain, active or not, oldest first. */
    List<DkimKeyView> listKeys(String domain);

    /** The key stops signing; it stays listed as inactive. */
    void deactivateKey(String domain, String selector);

    /** MX, SPF, DMARC and one DKIM TXT record per active key. */
    List<DnsRecordView> dnsRecords(String domain);
}
