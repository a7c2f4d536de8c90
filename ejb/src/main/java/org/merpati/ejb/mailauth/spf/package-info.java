/**
 * SPF (RFC 7208), pure Java: record parsing, macro expansion, check_host() with the DNS lookup limits, over the
 * small {@link org.merpati.ejb.mailauth.spf.SpfDns} interface that the server's DNS client adapts to.
 */
package org.merpati.ejb.mailauth.spf;
