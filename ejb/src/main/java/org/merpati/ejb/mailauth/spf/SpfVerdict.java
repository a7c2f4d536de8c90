package org.merpati.ejb.mailauth.spf;

/**
 * The outcome of one SPF check.
 *
 * @param result      the check_host() result
 * @param identity    the identity checked: the MAIL FROM address ({@code postmaster@<helo>} for the null sender)
 *                    or the HELO name
 * @param domain      the domain whose policy was evaluated (the identity's domain), lower case
 * @param explanation the sender's explanation for a fail (the exp= modifier), or null
 * @param problem     why the result is temperror or permerror (for logs and the A-R comment), or null
 */
public record SpfVerdict(SpfResult result, String identity, String domain, String explanation, String problem) {
}
