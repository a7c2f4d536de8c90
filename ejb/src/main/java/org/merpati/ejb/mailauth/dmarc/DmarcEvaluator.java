package org.merpati.ejb.mailauth.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

import org.merpati.ejb.dns.DnsAnswer;
import org.merpati.ejb.dns.DnsTemporaryException;
import org.merpati.ejb.mailauth.ArcResult;
import org.merpati.ejb.mailauth.DkimResult;
import org.merpati.ejb.mailauth.spf.SpfResult;
import org.merpati.ejb.mailauth.spf.SpfVerdict;

/**
 * DMARC evaluation (RFC 7489 section 6.6): policy discovery at {@code _dmarc.<author domain>}, then at the
 * organizational domain; identifier alignment of the SPF-authenticated MAIL FROM domain and of the d= of each
 * passing DKIM signature (relaxed or strict as aspf=/adkim= say); the policy with pct= sampling; and, when
 * configured, the local override for mail whose ARC chain a trusted sealer vouches for (RFC 8617 section 7.2.1).
 */
public final class DmarcEvaluator {

    /** The one DNS question DMARC asks. */
    @FunctionalInterface
    public interface TxtLookup {
        DnsAnswer<String> txt(String name) throws DnsTemporaryException;
    }

    private final TxtLookup dns;
    private final IntSupplier percentile;
    private final boolean trustArc;
    private final Set<String> trustedSealers;

    /**
     * @param percentile     a number in 0..99 per call, for pct= sampling
     * @param trustArc       whether a passing ARC chain sealed by a trusted sealer overrides a failing policy
     * @param trustedSealers the sealers (d= of the ARC-Seal, lower case) trusted for that
     */
    public DmarcEvaluator(TxtLookup dns, IntSupplier percentile, boolean trustArc, Set<String> trustedSealers) {
        this.dns = dns;
        this.percentile = percentile;
        this.trustArc = trustArc;
        this.trustedSealers = Set.copyOf(trustedSealers);
    }

    private record Discovery(DmarcRecord record, boolean atOrganizationalDomain) {
    }

    /**
     * @param fromDomain the author domain (one address of RFC5322.From)
     * @param spf        the MAIL FROM check (its domain is {@code postmaster@<helo>}'s for the null sender)
     * @param dkim       all DKIM results of the message
     * @param arc        the ARC chain's validation
     */
    public DmarcVerdict evaluate(String fromDomain, SpfVerdict spf, List<DkimResult> dkim, ArcResult arc) {
        String author = fromDomain.toLowerCase(Locale.ROOT);
        if (author.endsWith(".")) {
            author = author.substring(0, author.length() - 1);
        }
        Discovery discovery;
        try {
            discovery = discover(author);
        } catch (DnsTemporaryException e) {
            return DmarcVerdict.of(DmarcResult.TEMPERROR, author, "DNS: " + e.getMessage());
        } catch (DmarcRecord.InvalidRecordException e) {
            return DmarcVerdict.of(DmarcResult.PERMERROR, author, e.getMessage());
        }
        if (discovery == null) {
            return DmarcVerdict.of(DmarcResult.NONE, author, "no DMARC record");
        }
        DmarcRecord record = discovery.record();
        DmarcPolicy policy = discovery.atOrganizationalDomain() && record.subdomainPolicy() != null
                ? record.subdomainPolicy() : record.policy();

        boolean spfAligned = spf != null && spf.domain() != null && aligned(spf.domain(), author, record.strictSpf());
        boolean dkimTempError = false;
        if (spfAligned && spf.result() == SpfResult.PASS) {
            return new DmarcVerdict(DmarcResult.PASS, author, policy, DmarcPolicy.NONE, null, null);
        }
        for (DkimResult result : dkim) {
            if (result.domain() == null || !aligned(result.domain(), author, record.strictDkim())) {
                continue;
            }
            if (result.isPass()) {
                return new DmarcVerdict(DmarcResult.PASS, author, policy, DmarcPolicy.NONE, null, null);
            }
            dkimTempError |= "temperror".equals(result.result());
        }
        if (dkimTempError || (spfAligned && spf.result() == SpfResult.TEMPERROR)) {
            // an aligned identifier might have passed: conclude nothing
            return new DmarcVerdict(DmarcResult.TEMPERROR, author, policy, DmarcPolicy.NONE, null,
                    "aligned identifier could not be checked");
        }
        DmarcPolicy disposition = policy;
        String override = null;
        if (record.percent() < 100 && percentile.getAsInt() >= record.percent()) {
            disposition = disposition.lessStrict();
            override = "sampled_out";
        }
        if (disposition != DmarcPolicy.NONE && trustArc && arc != null && "pass".equals(arc.result())
                && arc.oldestPassingDomain() != null
                && trustedSealers.contains(arc.oldestPassingDomain().toLowerCase(Locale.ROOT))) {
            disposition = DmarcPolicy.NONE;
            override = "trusted_forwarder";
        }
        return new DmarcVerdict(DmarcResult.FAIL, author, policy, disposition, override, null);
    }

    private static boolean aligned(String identifier, String author, boolean strict) {
        String id = identifier.toLowerCase(Locale.ROOT);
        if (id.endsWith(".")) {
            id = id.substring(0, id.length() - 1);
        }
        return strict ? id.equals(author) : OrganizationalDomain.relaxedAligned(id, author);
    }

    /**
     * Section 6.6.3: the author domain's record, else the organizational domain's; null when neither has one, or
     * when a name has several (discovery ends there).
     */
    private Discovery discover(String author) throws DnsTemporaryException, DmarcRecord.InvalidRecordException {
        List<String> records = lookup(author);
        if (records.size() > 1) {
            return null;
        }
        if (records.size() == 1) {
            return new Discovery(DmarcRecord.parse(records.get(0)), false);
        }
        String organizational = OrganizationalDomain.of(author);
        if (organizational.equals(author)) {
            return null;
        }
        records = lookup(organizational);
        return records.size() == 1 ? new Discovery(DmarcRecord.parse(records.get(0)), true) : null;
    }

    /** The DMARC records at {@code _dmarc.<domain>}. */
    private List<String> lookup(String domain) throws DnsTemporaryException {
        DnsAnswer<String> answer = dns.txt("_dmarc." + domain);
        List<String> records = new ArrayList<>();
        for (String txt : answer.records()) {
            if (DmarcRecord.isDmarc1(txt)) {
                records.add(txt);
            }
        }
        return records;
    }
}
