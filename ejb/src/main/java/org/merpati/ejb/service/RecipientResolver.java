package org.merpati.ejb.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.storage.jpa.AccountEntity;
import org.merpati.ejb.storage.jpa.AliasEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.DistributionGroupEntity;
import org.merpati.ejb.storage.jpa.DomainEntity;

/**
 * Turns a recipient address into accounts. Per address, in order: an account with exactly that address,
 * aliases, a group; failing all three the address without its {@code +tag}; failing that the domain's
 * catch-all. Aliases and groups expand recursively; an address seen twice is expanded once (loop
 * protection and deduplication), and nesting deeper than {@link #MAX_DEPTH} is cut with a log line.
 *
 * <p>Refusals: syntax → INVALID; relay tricks, IP literals and non-local domains without authentication →
 * PERMISSION (554 5.7.1); unknown local user → NOT_FOUND (550 5.1.1); only disabled accounts → NOT_POSSIBLE
 * (550 5.2.1).
 */
public final class RecipientResolver {

    static final int MAX_DEPTH = 16;
    private static final Logger LOG = Logger.getLogger(RecipientResolver.class);

    private final DirectoryRepository directory;

    public RecipientResolver(DirectoryRepository directory) {
        this.directory = directory;
    }

    public ResolvedRecipient resolve(String rawAddress, boolean authenticated) {
        MailAddress address = MailAddress.parse(rawAddress);
        Optional<String> trick = address.routingTrick();
        if (trick.isPresent()) {
            throw new MailException(MailError.PERMISSION, "Relay access denied (" + trick.get() + ")");
        }
        Expansion expansion = new Expansion();
        if (address.isIpLiteral() || expansion.domain(address.domain()).isEmpty()) {
            if (!authenticated) {
                throw new MailException(MailError.PERMISSION, "Relay access denied");
            }
            // submission to remote domains needs the outbound queue, which does not exist yet
            throw new MailException(MailError.TEMPORARY, "Relaying to remote domains is not available yet");
        }
        if (!expansion.expand(address.canonical(), 0)) {
            throw new MailException(MailError.NOT_FOUND, "No such user: " + address.canonical());
        }
        if (expansion.local.isEmpty() && expansion.remote.isEmpty()) {
            if (!expansion.disabled.isEmpty()) {
                throw new MailException(MailError.NOT_POSSIBLE, "Mailbox disabled: " + address.canonical());
            }
            throw new MailException(MailError.NOT_FOUND, "No such user: " + address.canonical());
        }
        List<LocalTarget> local = new ArrayList<>(expansion.local.values());
        local.sort(Comparator.comparingLong(LocalTarget::accountId));
        return new ResolvedRecipient(address.canonical(), local, new ArrayList<>(expansion.remote));
    }

    /** One resolution's state: what was visited and what was found. */
    private final class Expansion {
        final Set<String> visited = new LinkedHashSet<>();
        final Map<Long, LocalTarget> local = new LinkedHashMap<>();
        final Set<String> remote = new LinkedHashSet<>();
        final Set<String> disabled = new LinkedHashSet<>();
        /** Domains looked up so far: the top-level check and the expansion ask for the same one. */
        final Map<String, Optional<DomainEntity>> domains = new java.util.HashMap<>();

        Optional<DomainEntity> domain(String name) {
            return domains.computeIfAbsent(name, directory::findDomain);
        }

        /** @return whether the address is known (an account, alias, group or covered by a catch-all) */
        boolean expand(String canonical, int depth) {
            if (!visited.add(canonical)) {
                return true; // already expanded: a loop or a duplicate member
            }
            if (depth > MAX_DEPTH) {
                LOG.warnf("Recipient expansion deeper than %d at %s: not followed", MAX_DEPTH, canonical);
                return true;
            }
            MailAddress address;
            try {
                address = MailAddress.parse(canonical);
            } catch (MailException e) {
                LOG.warnf("Skipping malformed target %s: %s", canonical, e.getMessage());
                return true;
            }
            Optional<DomainEntity> domain = address.isIpLiteral() ? Optional.empty()
                    : domain(address.domain());
            if (domain.isEmpty()) {
                LOG.debugf("Remote target %s: forwarded through the outbound queue", canonical);
                remote.add(canonical);
                return true;
            }
            if (expandExact(canonical, depth)) {
                return true;
            }
            Optional<String> base = address.withoutSubaddress();
            if (base.isPresent() && visited.add(base.get()) && expandExact(base.get(), depth)) {
                return true;
            }
            String catchAll = domain.get().getCatchAll();
            if (catchAll != null && depth == 0) {
                // only the address as given falls back to the catch-all; a dangling alias target does not
                return expand(catchAll, depth + 1);
            }
            return false;
        }

        private boolean expandExact(String canonical, int depth) {
            boolean found = false;
            Optional<AccountEntity> account = directory.findAccount(canonical);
            if (account.isPresent()) {
                found = true;
                AccountEntity a = account.get();
                if (a.isEnabled()) {
                    local.putIfAbsent(a.getId(), new LocalTarget(a.getId(), a.getAddress()));
                } else {
                    disabled.add(a.getAddress());
                }
            }
            for (AliasEntity alias : directory.findAliasTargets(canonical)) {
                found = true;
                expandMember(alias.getTarget(), depth);
            }
            Optional<DistributionGroupEntity> group = directory.findGroup(canonical);
            if (group.isPresent()) {
                found = true;
                for (String member : group.get().getMembers()) {
                    expandMember(member, depth);
                }
            }
            return found;
        }

        private void expandMember(String member, int depth) {
            if (!expand(member, depth + 1)) {
                LOG.warnf("Alias or group member %s does not exist: skipped", member);
            }
        }
    }
}
