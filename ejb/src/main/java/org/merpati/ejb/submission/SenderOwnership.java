package org.merpati.ejb.submission;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.domain.MailException;

/**
 * Which addresses one account may send as, in the envelope (MAIL FROM) and in the {@code From:} and
 * {@code Sender:} fields. An address is the account's when it is
 * <ol>
 *   <li>the account's own address, also with a {@code +tag} (sub-addressing, RFC 5233);</li>
 *   <li>an alias whose target is the account (the {@code aliases} table; one step, not through a group or
 *       another alias: being reachable through a chain does not make an address one's own);</li>
 *   <li>granted to the account explicitly: the address itself, or its whole domain ({@code @example.com}) —
 *       shared and role mailboxes ({@code info@}, {@code support@}) that several people answer.</li>
 * </ol>
 * Comparison is on the canonical form (lower case, IDN domains as A-labels). The grants are read once per
 * instance, alias targets once per address.
 */
final class SenderOwnership {

    /** The directory facts the rules need. */
    interface Directory {
        /** Targets (canonical) of the alias with this canonical address; empty when it is no alias. */
        List<String> aliasTargets(String alias);

        /** The account's send-as grants: canonical addresses and {@code @domain} entries. */
        List<String> sendAsGrants(String account);
    }

    private final String account;
    private final Directory directory;
    private Set<String> grants;

    /** @param account the authenticated account's canonical address */
    SenderOwnership(String account, Directory directory) {
        this.account = account;
        this.directory = directory;
    }

    /** Whether the account may use the address (as written by the client); malformed addresses are not. */
    boolean mayUse(String address) {
        MailAddress parsed;
        try {
            parsed = MailAddress.parse(address);
        } catch (MailException e) {
            return false;
        }
        if (parsed.isIpLiteral() || parsed.routingTrick().isPresent()) {
            return false;
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.add(parsed.canonical());
        parsed.withoutSubaddress().ifPresent(forms::add);
        if (forms.contains(account)) {
            return true;
        }
        for (String form : forms) {
            if (directory.aliasTargets(form).contains(account)) {
                return true;
            }
        }
        Set<String> granted = grants();
        if (granted.contains("@" + parsed.domain())) {
            return true;
        }
        for (String form : forms) {
            if (granted.contains(form)) {
                return true;
            }
        }
        return false;
    }

    /** The first address the account may not use, or null when it may use them all. */
    String firstForeign(List<String> addresses) {
        for (String address : addresses) {
            if (!mayUse(address)) {
                return address;
            }
        }
        return null;
    }

    private Set<String> grants() {
        if (grants == null) {
            grants = Set.copyOf(directory.sendAsGrants(account));
        }
        return grants;
    }
}
