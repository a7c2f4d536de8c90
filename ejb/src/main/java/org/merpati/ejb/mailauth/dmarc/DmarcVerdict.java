package org.merpati.ejb.mailauth.dmarc;

/**
 * The DMARC outcome for one author domain.
 *
 * @param result      pass, fail, none, temperror or permerror
 * @param fromDomain  the RFC5322.From domain, lower case (null when the message has no usable From)
 * @param policy      the policy the domain owner asks for this message (p=, or sp= for a subdomain), or null when
 *                    there is no usable record
 * @param disposition what to do: the policy after pct= sampling and any local override; NONE unless the result is fail
 * @param override    why the disposition is milder than the policy ("sampled_out", "trusted_forwarder" for an
 *                    ARC override), or null
 * @param reason      a short reason for none, temperror and permerror, or null
 */
public record DmarcVerdict(DmarcResult result, String fromDomain, DmarcPolicy policy, DmarcPolicy disposition,
                           String override, String reason) {

    static DmarcVerdict of(DmarcResult result, String fromDomain, String reason) {
        return new DmarcVerdict(result, fromDomain, null, DmarcPolicy.NONE, null, reason);
    }
}
