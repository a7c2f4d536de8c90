/**
 * DMARC (RFC 7489): policy records, the organizational domain by the Public Suffix List (Guava), identifier
 * alignment and the policy to apply.
 */
package org.merpati.ejb.mailauth.dmarc;
