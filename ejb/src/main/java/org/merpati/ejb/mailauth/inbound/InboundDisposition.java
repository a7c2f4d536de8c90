package org.merpati.ejb.mailauth.inbound;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.merpati.connector.api.Reply;

/**
 * What delivery does with a verdict, given each recipient domain's DMARC enforcement (ENFORCE, the default, or
 * REPORT_ONLY). Kept simple for transactions with recipients in several domains: the transaction is refused
 * (550 for reject, 451 for defer) only when every recipient's domain enforces; otherwise the recipients of
 * enforcing domains get a reject or quarantine as a copy in Junk, the others a copy in INBOX.
 *
 * @param reply          the reply for the whole transaction (nothing is stored), or null to deliver
 * @param junkRecipients the RCPT addresses whose copies go to Junk
 */
public record InboundDisposition(Reply reply, Set<String> junkRecipients) {

    public static final String ENFORCE = "ENFORCE";
    public static final String REPORT_ONLY = "REPORT_ONLY";

    public InboundDisposition {
        junkRecipients = Set.copyOf(junkRecipients);
    }

    public static final InboundDisposition DELIVER = new InboundDisposition(null, Set.of());

    /** The domains whose enforcement {@link #decide} needs: none unless the verdict asks for something. */
    public static Set<String> domainsToLookUp(InboundVerdict verdict, Collection<String> recipients) {
        if (verdict.action() == InboundVerdict.Action.ACCEPT) {
            return Set.of();
        }
        Set<String> domains = new LinkedHashSet<>();
        for (String recipient : recipients) {
            domains.add(domainOf(recipient));
        }
        return domains;
    }

    /**
     * @param recipients  the RCPT addresses of the transaction
     * @param enforcement enforcement by recipient domain (lower case); a domain not in it enforces
     */
    public static InboundDisposition decide(InboundVerdict verdict, List<String> recipients,
                                            Map<String, String> enforcement) {
        if (verdict.action() == InboundVerdict.Action.ACCEPT) {
            return DELIVER;
        }
        Set<String> enforced = new LinkedHashSet<>();
        for (String recipient : recipients) {
            if (!REPORT_ONLY.equals(enforcement.get(domainOf(recipient)))) {
                enforced.add(recipient);
            }
        }
        boolean all = enforced.size() == Set.copyOf(recipients).size();
        return switch (verdict.action()) {
            case REJECT -> all ? new InboundDisposition(new Reply(550, "5.7.1", verdict.replyText()), Set.of())
                    : new InboundDisposition(null, enforced);
            case DEFER -> all ? new InboundDisposition(new Reply(451, "4.7.0", verdict.replyText()), Set.of())
                    : DELIVER;
            case QUARANTINE -> new InboundDisposition(null, enforced);
            case ACCEPT -> DELIVER;
        };
    }

    static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return (at < 0 ? address : address.substring(at + 1)).toLowerCase(Locale.ROOT);
    }
}
