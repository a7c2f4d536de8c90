package org.merpati.ejb.service;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.merpati.connector.api.access.FlagOperation;
import org.merpati.connector.api.access.MailAccessException;
import org.merpati.connector.api.access.Namespaces;
import org.merpati.ejb.api.SharedFolderView;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.AccountEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.DomainEntity;
import org.merpati.ejb.storage.jpa.MailboxEntity;
import org.merpati.ejb.storage.jpa.MailboxRepository;

/**
 * The administrator's side of public folders: a domain's folders are the mailboxes of its SHARED pseudo-account
 * (created with the first folder), which the administrator handles as their owner. Runs in the caller's
 * transaction; {@link SharedFolderService} is its EJB shell.
 */
public final class SharedFolderManager {

    private final DirectoryRepository directory;
    private final MailboxRepository mailboxes;
    private final MailboxManager access;

    public SharedFolderManager(EntityManager em, BlobStore blobs, ChangeNotifier notifier) {
        this.directory = new DirectoryRepository(em);
        this.mailboxes = new MailboxRepository(em);
        this.access = new MailboxManager(em, blobs, notifier);
    }

    public SharedFolderView create(String domainName, String name) {
        DomainEntity domain = domain(domainName);
        String canonical = folderName(name);
        AccountEntity owner = directory.findSharedAccount(domain).orElseGet(() -> {
            AccountEntity created = AccountEntity.sharedFolders(domain, Instant.now());
            directory.persist(created);
            directory.entityManager().flush();
            return created;
        });
        directory.lockAccount(owner.getId()); // mailbox set changes of one account serialize here
        if (mailboxes.findMailbox(owner, canonical).isPresent()) {
            throw new MailException(MailError.EXISTS, "Public folder exists: " + canonical);
        }
        List<String> levels = new ArrayList<>(MailboxNames.parents(canonical));
        levels.add(canonical);
        MailboxEntity created = null;
        for (String level : levels) {
            if (mailboxes.findMailbox(owner, level).isEmpty()) {
                created = newFolder(owner, level);
            }
        }
        mailboxes.flush();
        return view(domain, created);
    }

    public List<SharedFolderView> list(String domainName) {
        DomainEntity domain = domain(domainName);
        Optional<AccountEntity> owner = directory.findSharedAccount(domain);
        if (owner.isEmpty()) {
            return List.of();
        }
        return mailboxes.listMailboxes(owner.get()).stream().map(m -> view(domain, m)).toList();
    }

    public void delete(String domainName, String name) {
        DomainEntity domain = domain(domainName);
        String canonical = folderName(name);
        AccountEntity owner = directory.findSharedAccount(domain).orElseThrow(() -> noSuchFolder(canonical));
        if (mailboxes.findMailbox(owner, canonical).isEmpty()) {
            throw noSuchFolder(canonical);
        }
        List<MailboxEntity> doomed = new ArrayList<>(mailboxes.listMailboxes(owner).stream()
                .filter(m -> MailboxNames.isSelfOrChild(m.getName(), canonical)).toList());
        doomed.sort(Comparator.comparing(MailboxEntity::getName).reversed()); // children first
        try {
            for (MailboxEntity m : doomed) {
                access.removeMailbox(owner, m);
            }
        } catch (MailAccessException e) {
            throw translate(e);
        }
    }

    public SharedFolderView setAcl(String domainName, String name, String identifier, String rights) {
        DomainEntity domain = domain(domainName);
        String canonical = folderName(name);
        AccountEntity owner = directory.findSharedAccount(domain).orElseThrow(() -> noSuchFolder(canonical));
        // as the folder's owner: every right, and the owner's domain decides which identifiers are valid
        MailboxAclCommands acl = new MailboxAclCommands(owner, directory, mailboxes);
        try {
            acl.setAcl(canonical, identifier, FlagOperation.REPLACE, rights == null ? "" : rights.strip());
        } catch (MailAccessException e) {
            throw translate(e);
        }
        return view(domain, mailboxes.findMailbox(owner, canonical).orElseThrow(() -> noSuchFolder(canonical)));
    }

    private MailboxEntity newFolder(AccountEntity owner, String name) {
        if (mailboxes.listMailboxes(owner).size() >= MailboxManager.MAX_MAILBOXES) {
            throw new MailException(MailError.LIMIT, "Too many public folders");
        }
        MailboxEntity mailbox = new MailboxEntity(owner, name, null, UidValidityClock.next());
        mailbox.setSubscribed(false);
        List<String> parents = MailboxNames.parents(name);
        if (!parents.isEmpty()) { // as CREATE: a new folder inherits its parent's ACL
            mailboxes.findMailbox(owner, parents.get(parents.size() - 1))
                    .ifPresent(parent -> mailbox.getAcl().putAll(parent.getAcl()));
        }
        mailboxes.persist(mailbox);
        mailboxes.flush();
        return mailbox;
    }

    /** A folder name as stored: without the {@code Shared/} prefix, canonical, never INBOX. */
    static String folderName(String name) {
        if (name == null || name.isBlank()) {
            throw new MailException(MailError.INVALID, "Missing folder name");
        }
        String bare = name.startsWith(Namespaces.SHARED) ? name.substring(Namespaces.SHARED.length()) : name;
        String canonical;
        try {
            canonical = MailboxNames.canonical(bare);
        } catch (MailAccessException e) {
            throw new MailException(MailError.INVALID, e.getMessage());
        }
        if (MailboxNames.isSelfOrChild(canonical, MailboxAppender.INBOX)) {
            throw new MailException(MailError.INVALID, "A public folder cannot be called INBOX");
        }
        return canonical;
    }

    private DomainEntity domain(String name) {
        if (name == null || name.isBlank()) {
            throw new MailException(MailError.INVALID, "Missing domain");
        }
        String domain = MailAddress.normalizeDomain(name);
        return directory.findDomain(domain)
                .orElseThrow(() -> new MailException(MailError.NOT_FOUND, "No such domain: " + domain));
    }

    private static MailException noSuchFolder(String name) {
        return new MailException(MailError.NOT_FOUND, "No such public folder: " + name);
    }

    private static SharedFolderView view(DomainEntity domain, MailboxEntity m) {
        return new SharedFolderView(domain.getName(), m.getName(), Namespaces.SHARED + m.getName(),
                m.getMessageCount(), m.getSizeBytes(), new TreeMap<>(m.getAcl()));
    }

    /** The access contract's refusals as the domain's errors (for the admin API). */
    private static MailException translate(MailAccessException e) {
        MailError error = switch (e.kind()) {
            case NONEXISTENT -> MailError.NOT_FOUND;
            case ALREADY_EXISTS -> MailError.EXISTS;
            case NO_PERMISSION -> MailError.PERMISSION;
            case OVER_QUOTA -> MailError.NO_QUOTA;
            case LIMIT -> MailError.LIMIT;
            case CANNOT -> MailError.NOT_POSSIBLE;
            case UNAVAILABLE -> MailError.TEMPORARY;
            default -> MailError.INVALID;
        };
        return new MailException(error, e.getMessage());
    }
}
