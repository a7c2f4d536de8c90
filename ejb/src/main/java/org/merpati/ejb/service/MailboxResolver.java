package org.merpati.ejb.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.MailAccessException.Kind;
import org.merpati.connector.api.access.MailboxRights;
import org.merpati.connector.api.access.Namespaces;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.storage.jpa.AccountEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.MailboxEntity;
import org.merpati.ejb.storage.jpa.MailboxRepository;

/**
 * Which mailbox a name or an id means for one user, and what the user may do with it (RFC 4314 rights).
 *
 * <p>Namespaces (RFC 2342): personal names are the user's own mailboxes, on which the user has every right;
 * {@code Other Users/<owner>/<name>} is the owner's mailbox {@code <name>}, with the rights the owner's ACL
 * gives; {@code Shared/<name>} is the public folder {@code <name>} of the user's own domain (a mailbox of the
 * domain's SHARED pseudo-account), with the rights its ACL gives. Nothing else is reachable: the owner part is
 * an address looked up exactly (no path semantics, so {@code ..} is just a name that does not exist), the
 * public folders are always those of the user's domain (another domain's cannot even be named), the rest is an
 * ordinary name of that owner, and mailbox ids are checked against the same rights as names.
 *
 * <p>Rights of a user who is not the owner: the union of the entries for the user's address, every group the
 * user belongs to (directly, through nested groups or through an alias of the user's) and {@code anyone},
 * minus the union of the negative entries ({@code -identifier}) for the same identifiers. Tenancy: only users
 * of the owner's domain get any right; {@code anyone} means every account of that domain.
 *
 * <p>Invisibility: a mailbox on which the user has neither {@code l} nor {@code r} fails every check with the
 * same NONEXISTENT error, word for word, as a mailbox that does not exist ({@link #require}).
 */
final class MailboxResolver {

    /** The identifier that matches every account of the owner's domain. */
    static final String ANYONE = "anyone";
    /** Levels of group nesting followed when collecting a user's groups (loops stop earlier). */
    static final int MAX_GROUP_DEPTH = 16;

    /**
     * A mailbox as the user sees it.
     *
     * @param mailbox the mailbox
     * @param rights  the user's rights on it
     * @param name    its full name in the user's namespaces
     * @param asked   the canonical name the client used, or null when it came by id: the NONEXISTENT message
     *                repeats it exactly as a missing mailbox's would
     */
    record Resolved(MailboxEntity mailbox, MailboxRights rights, String name, String asked) {

        boolean ownedBy(AccountEntity user) {
            return Objects.equals(mailbox.getAccount().getId(), user.getId());
        }

        /** The owner's account (for locks, quota and usage: messages count where they are stored). */
        AccountEntity owner() {
            return mailbox.getAccount();
        }
    }

    /** A name split into owner and the owner's own mailbox name. */
    record Location(AccountEntity owner, String ownerName) {
    }

    private final AccountEntity user;
    private final DirectoryRepository directory;
    private final MailboxRepository mailboxes;
    private Set<String> identifiers;

    MailboxResolver(AccountEntity user, DirectoryRepository directory, MailboxRepository mailboxes) {
        this.user = user;
        this.directory = directory;
        this.mailboxes = mailboxes;
    }

    // ---- names ----

    /** Whether a canonical name lies in the "Other Users" namespace (or is its root). */
    static boolean isOtherUsers(String canonical) {
        return canonical.equals(Namespaces.OTHER_USERS_ROOT) || canonical.startsWith(Namespaces.OTHER_USERS);
    }

    /** Whether a canonical name lies in the "Shared" namespace of public folders (or is its root). */
    static boolean isShared(String canonical) {
        return canonical.equals(Namespaces.SHARED_ROOT) || canonical.startsWith(Namespaces.SHARED);
    }

    /** Whether a canonical name lies outside the personal namespace. */
    static boolean isNotPersonal(String canonical) {
        return isOtherUsers(canonical) || isShared(canonical);
    }

    /**
     * The name under which users other than the owner see a mailbox: {@code Shared/<name>} for a public folder,
     * {@code Other Users/<owner>/<name>} for a user's.
     */
    static String sharedName(AccountEntity owner, String ownerName) {
        if (owner.isShared()) {
            return Namespaces.SHARED + ownerName;
        }
        return Namespaces.OTHER_USERS + owner.getAddress() + MailboxNames.DELIMITER + ownerName;
    }

    /** The error for a mailbox that does not exist or that the user may not see: always the same words. */
    static MailAccessException nonexistent(String asked) {
        return new MailAccessException(Kind.NONEXISTENT, asked == null ? "No such mailbox" : "No such mailbox: " + asked);
    }

    /**
     * Where a client-supplied name points: the user's own account, or another owner's for the "Other Users"
     * namespace. Empty when it can point nowhere (the namespace root, an owner level, an unknown owner, the
     * user's own address under "Other Users").
     */
    Optional<Location> locate(String canonical) throws MailAccessException {
        if (isShared(canonical)) {
            if (canonical.length() <= Namespaces.SHARED.length()) {
                return Optional.empty();
            }
            // only the user's own domain's public folders can be named at all
            Optional<AccountEntity> owner = directory.findSharedAccount(user.getDomain());
            if (owner.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Location(owner.get(),
                    MailboxNames.canonical(canonical.substring(Namespaces.SHARED.length()))));
        }
        if (!isOtherUsers(canonical)) {
            return Optional.of(new Location(user, canonical));
        }
        if (canonical.length() <= Namespaces.OTHER_USERS.length()) {
            return Optional.empty();
        }
        String rest = canonical.substring(Namespaces.OTHER_USERS.length());
        int slash = rest.indexOf(MailboxNames.DELIMITER);
        if (slash <= 0) {
            return Optional.empty();
        }
        String address;
        try {
            address = MailAddress.parse(rest.substring(0, slash)).canonical();
        } catch (MailException e) {
            return Optional.empty();
        }
        Optional<AccountEntity> owner = directory.findAccount(address); // users only: never the SHARED account
        if (owner.isEmpty() || Objects.equals(owner.get().getId(), user.getId())) {
            return Optional.empty(); // own mailboxes have their personal names only
        }
        return Optional.of(new Location(owner.get(), MailboxNames.canonical(rest.substring(slash + 1))));
    }

    /**
     * The mailbox a client-supplied name means, with the user's rights (possibly none: use {@link #require}).
     *
     * @throws MailAccessException INVALID for a malformed name, NONEXISTENT when there is no such mailbox
     */
    Resolved byName(String name) throws MailAccessException {
        String canonical = MailboxNames.canonical(name);
        Optional<Resolved> found = find(canonical);
        if (found.isEmpty()) {
            throw nonexistent(canonical);
        }
        return found.get();
    }

    /** {@link #byName} for a canonical name, empty when there is no such mailbox. */
    Optional<Resolved> find(String canonical) throws MailAccessException {
        Optional<Location> location = locate(canonical);
        if (location.isEmpty()) {
            return Optional.empty();
        }
        return mailboxes.findMailbox(location.get().owner(), location.get().ownerName())
                .map(m -> resolved(m, canonical));
    }

    /** The mailbox with a (client-supplied, possibly forged) id, with the user's rights. */
    Resolved byId(long id) throws MailAccessException {
        Optional<MailboxEntity> mailbox = mailboxes.findAnyMailbox(id);
        if (mailbox.isEmpty()) {
            throw nonexistent(null);
        }
        return resolved(mailbox.get(), null);
    }

    private Resolved resolved(MailboxEntity m, String asked) {
        boolean own = Objects.equals(m.getAccount().getId(), user.getId());
        String name = own ? m.getName() : sharedName(m.getAccount(), m.getName());
        return new Resolved(m, rightsOn(m), name, asked);
    }

    /**
     * Fails unless the user has the right: NONEXISTENT (the same as for a missing mailbox) when the mailbox is
     * invisible to the user, NO_PERMISSION otherwise.
     */
    static void require(Resolved r, char right) throws MailAccessException {
        if (r.rights().has(right)) {
            return;
        }
        throw denied(r);
    }

    /** The refusal for a right the user lacks: invisible mailboxes look nonexistent. */
    static MailAccessException denied(Resolved r) {
        if (!r.rights().hasAny("lr")) {
            return nonexistent(r.asked());
        }
        return new MailAccessException(Kind.NO_PERMISSION, "Permission denied on " + r.name());
    }

    // ---- rights ----

    /** The user's rights on a mailbox: every right as owner, else from the ACL (see the class comment). */
    MailboxRights rightsOn(MailboxEntity m) {
        if (Objects.equals(m.getAccount().getId(), user.getId())) {
            return MailboxRights.ALL;
        }
        if (!Objects.equals(m.getAccount().getDomain().getId(), user.getDomain().getId())) {
            return MailboxRights.NONE;
        }
        return evaluate(m.getAcl());
    }

    /** The rights a set of ACL entries gives the user (who is not the owner). */
    MailboxRights evaluate(Map<String, String> acl) {
        if (acl.isEmpty()) {
            return MailboxRights.NONE;
        }
        MailboxRights granted = MailboxRights.NONE;
        MailboxRights taken = MailboxRights.NONE;
        for (String id : identifiers()) {
            String plus = acl.get(id);
            if (plus != null) {
                granted = granted.union(MailboxRights.parse(plus));
            }
            String minus = acl.get("-" + id);
            if (minus != null) {
                taken = taken.union(MailboxRights.parse(minus));
            }
        }
        return granted.minus(taken);
    }

    /**
     * The identifiers that stand for the user: the address, {@code anyone}, and every group whose expansion
     * reaches the user (through nested groups and the user's aliases). Computed once per resolver.
     */
    Set<String> identifiers() {
        if (identifiers != null) {
            return identifiers;
        }
        Set<String> all = new LinkedHashSet<>();
        all.add(user.getAddress());
        Set<String> frontier = new HashSet<>(all);
        for (int depth = 0; depth < MAX_GROUP_DEPTH && !frontier.isEmpty(); depth++) {
            Set<String> next = new HashSet<>(directory.groupsWithMembers(frontier));
            next.addAll(directory.aliasesOf(frontier));
            next.removeAll(all);
            all.addAll(next);
            frontier = next;
        }
        all.add(ANYONE);
        identifiers = all;
        return all;
    }

    /**
     * Other owners' mailboxes on which the user has the {@code l} right, ordered by id: other users' (under
     * "Other Users") and the domain's public folders (under "Shared").
     */
    List<Resolved> shared() {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : identifiers()) {
            ids.add(id);
            ids.add("-" + id);
        }
        Map<Long, MailboxEntity> byId = new LinkedHashMap<>();
        Map<Long, Map<String, String>> entries = new LinkedHashMap<>();
        for (Object[] row : mailboxes.aclEntriesFor(user, ids)) {
            MailboxEntity m = (MailboxEntity) row[0];
            byId.put(m.getId(), m);
            entries.computeIfAbsent(m.getId(), k -> new LinkedHashMap<>()).put((String) row[1], (String) row[2]);
        }
        List<Resolved> out = new ArrayList<>();
        for (Map.Entry<Long, MailboxEntity> e : byId.entrySet()) {
            MailboxRights rights = evaluate(entries.get(e.getKey()));
            if (rights.has('l')) {
                MailboxEntity m = e.getValue();
                out.add(new Resolved(m, rights, sharedName(m.getAccount(), m.getName()), null));
            }
        }
        return out;
    }
}
