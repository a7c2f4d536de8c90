/**
 * DNS lookups for the mail paths that need them (MX resolution for outbound delivery; SPF, DKIM, DMARC, ARC
 * for inbound authentication) through dnsjava, against the servers {@code MERPATI_DNS_SERVERS} names (default:
 * the system's resolvers). Answers distinguish "the name does not exist" and "no record of that type" (SPF
 * counts both as void lookups) from a temporary failure, which throws so that callers answer 4xx or retry.
 */
package org.merpati.ejb.dns;
