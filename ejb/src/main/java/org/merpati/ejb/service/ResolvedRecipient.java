package org.merpati.ejb.service;

import java.util.List;

/**
 * Where mail for one RCPT goes after aliases, groups, sub-addressing and catch-all.
 *
 * @param address the canonical form of the address as given
 * @param local   deduplicated accounts, in account-id order (the order rows are locked in)
 * @param remote  remote addresses an alias or group points to (forwarded through the outbound queue)
 */
public record ResolvedRecipient(String address, List<LocalTarget> local, List<String> remote) {

    public ResolvedRecipient {
        local = List.copyOf(local);
        remote = List.copyOf(remote);
    }
}
