/**
 * Mail authentication: DKIM signing and verification (RFC 6376, RFC 8463), SPF (RFC 7208), DMARC (RFC 7489),
 * ARC (RFC 8617) and the Authentication-Results header (RFC 8601). Protocol logic here is plain Java with test
 * vectors; DNS goes through {@link org.merpati.ejb.dns.DnsClient}; the per-domain DKIM keys are kept by an EJB.
 */
package org.merpati.ejb.mailauth;
