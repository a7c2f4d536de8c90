package org.merpati.ejb.service;

import jakarta.persistence.EntityNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.merpati.connector.api.access.AclEntry;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailAccessException.Kind;
import org.merpati.connector.api.access.MailboxRights;
import org.merpati.connector.api.access.RightsList;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.service.MailboxResolver.Resolved;
import org.merpati.ejb.storage.jpa.AccountEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.MailboxEntity;
import org.merpati.ejb.storage.jpa.MailboxRepository;

/**
 * GETACL, SETACL, DELETEACL, LISTRIGHTS and MYRIGHTS (RFC 4314 section 3) for one acting user, in the
 * caller's transaction. Entries are stored canonical: lower-case addresses, {@code anyone}, rights letters
 * without the virtual {@code c} and {@code d}. The owner is implicit (every right, not changeable); a public
 * folder's owner (the domain's SHARED pseudo-account) is not shown at all.
 */
final class MailboxAclCommands {

    private final DirectoryRepository directory;
    private final MailboxRepository mailboxes;
    private final MailboxResolver resolver;

    MailboxAclCommands(AccountEntity user, DirectoryRepository directory, MailboxRepository mailboxes) {
        this.directory = directory;
        this.mailboxes = mailboxes;
        this.resolver = new MailboxResolver(user, directory, mailboxes);
    }

    List<AclEntry> getAcl(String name) throws MailAccessException {
        Resolved r = resolver.byName(name);
        MailboxResolver.require(r, 'a');
        List<AclEntry> out = new ArrayList<>();
        if (!r.owner().isShared()) { // a public folder has no owner a user could name
            out.add(new AclEntry(r.owner().getAddress(), MailboxRights.ALL.toString()));
        }
        new TreeMap<>(r.mailbox().getAcl()).forEach((identifier, rights) ->
                out.add(new AclEntry(identifier, MailboxRights.parse(rights).toString())));
        return out;
    }

    void setAcl(String name, String identifier, FlagOperation operation, String rights) throws MailAccessException {
        Resolved r = resolver.byName(name);
        MailboxResolver.require(r, 'a');
        if (operation == null || rights == null) {
            throw new MailAccessException(Kind.INVALID, "No rights given");
        }
        MailboxRights given;
        try {
            given = MailboxRights.parse(rights);
        } catch (IllegalArgumentException e) {
            throw new MailAccessException(Kind.INVALID, e.getMessage());
        }
        String key = identifier(r.owner(), identifier, true);
        MailboxEntity mailbox = lock(r.mailbox());
        Map<String, String> acl = mailbox.getAcl();
        MailboxRights current = acl.containsKey(key) ? MailboxRights.parse(acl.get(key)) : MailboxRights.NONE;
        MailboxRights next = switch (operation) {
            case REPLACE -> given;
            case ADD -> current.union(given);
            case REMOVE -> current.minus(given);
        };
        if (next.isEmpty()) {
            acl.remove(key);
        } else {
            acl.put(key, next.letters());
        }
        mailboxes.flush();
    }

    void deleteAcl(String name, String identifier) throws MailAccessException {
        Resolved r = resolver.byName(name);
        MailboxResolver.require(r, 'a');
        String key = identifier(r.owner(), identifier, false); // stale entries (deleted groups) can go too
        lock(r.mailbox()).getAcl().remove(key);
        mailboxes.flush();
    }

    RightsList listRights(String name, String identifier) throws MailAccessException {
        Resolved r = resolver.byName(name);
        MailboxResolver.require(r, 'a');
        if (identifier != null && !r.owner().isShared() && identifier.trim().equalsIgnoreCase(r.owner().getAddress())) {
            return new RightsList(MailboxRights.ALL.toString(), List.of());
        }
        identifier(r.owner(), identifier, false);
        // every right can be granted on its own; c and d are listed by themselves (RFC 4314 section 2.1.1)
        List<String> optional = new ArrayList<>();
        for (char c : (MailboxRights.SUPPORTED + "cd").toCharArray()) {
            optional.add(String.valueOf(c));
        }
        return new RightsList("", optional);
    }

    String myRights(String name) throws MailAccessException {
        Resolved r = resolver.byName(name);
        if (!r.rights().hasAny("lrikxa")) {
            throw MailboxResolver.denied(r);
        }
        return r.rights().toString();
    }

    /**
     * The stored form of an identifier: {@code anyone} (any case) or a lower-case address, with the leading
     * {@code -} of negative rights kept. When {@code mustExist}, an address must be an account or a group of the
     * owner's domain (tenancy: nobody outside it ever gets rights). The owner is refused: always every right.
     */
    private String identifier(AccountEntity owner, String given, boolean mustExist) throws MailAccessException {
        if (given == null || given.isBlank() || given.equals("-")) {
            throw new MailAccessException(Kind.INVALID, "Empty identifier");
        }
        boolean negative = given.startsWith("-");
        String bare = (negative ? given.substring(1) : given).trim();
        String canonical;
        if (bare.equalsIgnoreCase(MailboxResolver.ANYONE)) {
            canonical = MailboxResolver.ANYONE;
        } else {
            try {
                MailAddress address = MailAddress.parse(bare);
                if (address.routingTrick().isPresent() || address.isIpLiteral()) {
                    throw new MailAccessException(Kind.INVALID, "Unknown identifier");
                }
                canonical = address.canonical();
            } catch (MailException e) {
                throw new MailAccessException(Kind.INVALID, "Unknown identifier");
            }
            if (canonical.equals(owner.getAddress())) {
                throw new MailAccessException(Kind.CANNOT, "The owner always has every right");
            }
            if (mustExist && !inDomain(owner, canonical)) {
                throw new MailAccessException(Kind.INVALID, "Unknown identifier: " + canonical);
            }
        }
        return negative ? "-" + canonical : canonical;
    }

    private boolean inDomain(AccountEntity owner, String address) {
        Long domain = owner.getDomain().getId();
        return directory.findAccount(address).map(a -> Objects.equals(a.getDomain().getId(), domain))
                .or(() -> directory.findGroup(address).map(g -> Objects.equals(g.getDomain().getId(), domain)))
                .orElse(false);
    }

    /** ACL changes of one mailbox serialize on its row; a mailbox deleted meanwhile is NONEXISTENT. */
    private MailboxEntity lock(MailboxEntity mailbox) throws MailAccessException {
        try {
            return mailboxes.lock(mailbox);
        } catch (EntityNotFoundException e) {
            throw MailboxResolver.nonexistent(null);
        }
    }
}
