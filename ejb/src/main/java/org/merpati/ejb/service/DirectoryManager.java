package org.merpati.ejb.service;

import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.merpati.ejb.api.AccountView;
import org.merpati.ejb.api.AliasView;
import org.merpati.ejb.api.Authenticator.AuthenticatedAccount;
import org.merpati.ejb.api.DomainView;
import org.merpati.ejb.api.GroupView;
import org.merpati.ejb.api.MailboxView;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.storage.jpa.AccountEntity;
import org.merpati.ejb.storage.jpa.AliasEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.DistributionGroupEntity;
import org.merpati.ejb.storage.jpa.DomainEntity;
import org.merpati.ejb.storage.jpa.MailboxEntity;
import org.merpati.ejb.storage.jpa.MailboxRepository;

/**
 * The directory's rules: validation, canonical forms, password hashing, default mailboxes. Runs in the
 * caller's transaction; {@link DirectoryService} is its EJB shell.
 */
public final class DirectoryManager {

    public static final int MIN_PASSWORD_LENGTH = 8;

    private final DirectoryRepository directory;
    private final MailboxRepository mailboxes;
    private final PasswordHasher hasher;
    private final MerpatiConfig config;

    public DirectoryManager(EntityManager em, PasswordHasher hasher, MerpatiConfig config) {
        this.directory = new DirectoryRepository(em);
        this.mailboxes = new MailboxRepository(em);
        this.hasher = hasher;
        this.config = config;
    }

    public DomainView createDomain(String name) {
        String domain = MailAddress.normalizeDomain(requireText(name, "domain"));
        if (directory.findDomain(domain).isPresent()) {
            throw new MailException(MailError.EXISTS, "Domain exists: " + domain);
        }
        DomainEntity entity = new DomainEntity(domain, Instant.now());
        directory.persist(entity);
        return new DomainView(domain, null, 0);
    }

    public List<DomainView> listDomains() {
        List<DomainView> views = new ArrayList<>();
        for (DomainEntity d : directory.listDomains()) {
            views.add(new DomainView(d.getName(), d.getCatchAll(), directory.countAccounts(d)));
        }
        return views;
    }

    /**
     * Deletes a domain without accounts, aliases or groups. Its public folders (the SHARED pseudo-account's
     * mailboxes) go with it: they belong to the domain, not to anyone who could be deleted first.
     */
    public void deleteDomain(String name) {
        DomainEntity domain = domain(name);
        if (directory.countAccounts(domain) + directory.countAliases(domain) + directory.countGroups(domain) > 0) {
            throw new MailException(MailError.NOT_POSSIBLE, "Domain still has accounts, aliases or groups");
        }
        directory.findSharedAccount(domain).ifPresent(shared -> {
            mailboxes.deleteAllOf(shared);
            directory.remove(shared);
        });
        directory.remove(domain);
    }

    public AccountView createAccount(String address, String password, Long quotaBytes, boolean admin) {
        MailAddress parsed = localAddress(address);
        checkPassword(password);
        if (quotaBytes != null && quotaBytes < 0) {
            throw new MailException(MailError.INVALID, "Quota must not be negative");
        }
        DomainEntity domain = domain(parsed.domain());
        String canonical = parsed.canonical();
        if (directory.findAccount(canonical).isPresent() || directory.findGroup(canonical).isPresent()
                || !directory.findAliasTargets(canonical).isEmpty()) {
            throw new MailException(MailError.EXISTS, "Address in use: " + canonical);
        }
        long quota = quotaBytes != null ? quotaBytes : config.defaultQuotaBytes();
        AccountEntity account = new AccountEntity(domain, canonical, hasher.hash(password), admin, quota,
                Instant.now());
        directory.persist(account);
        MailboxProvisioner.createDefaults(mailboxes, account);
        return view(account);
    }

    public List<AccountView> listAccounts(String domain) {
        return directory.listAccounts(domain(domain)).stream().map(DirectoryManager::view).toList();
    }

    public AccountView getAccount(String address) {
        return view(account(address));
    }

    public void setPassword(String address, String password) {
        checkPassword(password);
        account(address).setPasswordHash(hasher.hash(password));
    }

    public void setQuota(String address, long quotaBytes) {
        if (quotaBytes < 0) {
            throw new MailException(MailError.INVALID, "Quota must not be negative");
        }
        account(address).setQuotaBytes(quotaBytes);
    }

    public void setEnabled(String address, boolean enabled) {
        account(address).setEnabled(enabled);
    }

    public void deleteAccount(String address) {
        AccountEntity account = account(address);
        mailboxes.deleteAllOf(account);
        directory.remove(account);
    }

    public AliasView addAlias(String alias, String target) {
        MailAddress parsed = localAddress(alias);
        String canonicalTarget = targetAddress(target);
        DomainEntity domain = domain(parsed.domain());
        String canonical = parsed.canonical();
        if (directory.findAccount(canonical).isPresent() || directory.findGroup(canonical).isPresent()) {
            throw new MailException(MailError.EXISTS, "Address in use: " + canonical);
        }
        boolean exists = directory.findAliasTargets(canonical).stream()
                .anyMatch(a -> a.getTarget().equals(canonicalTarget));
        if (exists) {
            throw new MailException(MailError.EXISTS, "Alias exists: " + canonical + " → " + canonicalTarget);
        }
        directory.persist(new AliasEntity(domain, canonical, canonicalTarget));
        return new AliasView(canonical, canonicalTarget);
    }

    public List<AliasView> listAliases(String domain) {
        return directory.listAliases(domain(domain)).stream()
                .map(a -> new AliasView(a.getAlias(), a.getTarget())).toList();
    }

    public void deleteAlias(String alias, String target) {
        String canonical = MailAddress.parse(alias).canonical();
        String canonicalTarget = targetAddress(target);
        AliasEntity entity = directory.findAliasTargets(canonical).stream()
                .filter(a -> a.getTarget().equals(canonicalTarget)).findFirst()
                .orElseThrow(() -> new MailException(MailError.NOT_FOUND, "No such alias"));
        directory.remove(entity);
    }

    public void setDmarcEnforcement(String domain, String enforcement) {
        String value = enforcement == null ? "" : enforcement.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        if (!value.equals(DomainEntity.ENFORCE) && !value.equals(DomainEntity.REPORT_ONLY)) {
            throw new MailException(MailError.INVALID, "DMARC enforcement must be ENFORCE or REPORT_ONLY");
        }
        domain(domain).setDmarcEnforcement(value);
    }

    public void setCatchAll(String domain, String target) {
        domain(domain).setCatchAll(target == null ? null : targetAddress(target));
    }

    public GroupView createGroup(String address) {
        MailAddress parsed = localAddress(address);
        DomainEntity domain = domain(parsed.domain());
        String canonical = parsed.canonical();
        if (directory.findAccount(canonical).isPresent() || directory.findGroup(canonical).isPresent()
                || !directory.findAliasTargets(canonical).isEmpty()) {
            throw new MailException(MailError.EXISTS, "Address in use: " + canonical);
        }
        directory.persist(new DistributionGroupEntity(domain, canonical));
        return new GroupView(canonical, List.of());
    }

    public void addGroupMember(String group, String member) {
        if (!group(group).getMembers().add(targetAddress(member))) {
            throw new MailException(MailError.EXISTS, "Already a member: " + member);
        }
    }

    public void removeGroupMember(String group, String member) {
        if (!group(group).getMembers().remove(targetAddress(member))) {
            throw new MailException(MailError.NOT_FOUND, "Not a member: " + member);
        }
    }

    public List<GroupView> listGroups(String domain) {
        return directory.listGroups(domain(domain)).stream()
                .map(g -> new GroupView(g.getAddress(), List.copyOf(g.getMembers()))).toList();
    }

    public List<MailboxView> listMailboxes(String address) {
        return mailboxes.listMailboxes(account(address)).stream().map(DirectoryManager::view).toList();
    }

    /** @param login an address, or a bare local part meaning the primary domain */
    public Optional<AuthenticatedAccount> authenticate(String login, String password) {
        if (login == null || password == null || login.isBlank()) {
            return Optional.empty();
        }
        String address = login.indexOf('@') < 0 ? login + "@" + config.primaryDomain() : login;
        Optional<AccountEntity> account;
        try {
            account = directory.findAccount(MailAddress.parse(address.trim()).canonical());
        } catch (MailException e) {
            account = Optional.empty();
        }
        if (account.isEmpty()) {
            hasher.burnTime(password);
            return Optional.empty();
        }
        AccountEntity a = account.get();
        boolean matches = hasher.verify(password, a.getPasswordHash());
        if (!matches || !a.isEnabled()) {
            return Optional.empty();
        }
        return Optional.of(new AuthenticatedAccount(a.getAddress(), a.isAdmin()));
    }

    /**
     * Ensures the primary domain and {@code admin@<primary domain>} exist.
     *
     * @return the generated password when the administrator was created without a configured one, else empty
     */
    public Optional<String> ensurePrimaryDomainAndAdministrator(RandomPasswords passwords) {
        String domain = MailAddress.normalizeDomain(config.primaryDomain());
        if (directory.findDomain(domain).isEmpty()) {
            createDomain(domain);
        }
        String admin = "admin@" + domain;
        Optional<AccountEntity> existing = directory.findAccount(admin);
        Optional<String> configured = config.adminPassword();
        if (existing.isPresent()) {
            // a configured password wins on every start, so an operator can reset it through the environment
            configured.filter(p -> !hasher.verify(p, existing.get().getPasswordHash()))
                    .ifPresent(p -> setPassword(admin, p));
            return Optional.empty();
        }
        String password = configured.orElseGet(passwords::generate);
        createAccount(admin, password, 0L, true);
        return configured.isPresent() ? Optional.empty() : Optional.of(password);
    }

    private DomainEntity domain(String name) {
        String domain = MailAddress.normalizeDomain(requireText(name, "domain"));
        return directory.findDomain(domain)
                .orElseThrow(() -> new MailException(MailError.NOT_FOUND, "No such domain: " + domain));
    }

    private AccountEntity account(String address) {
        String canonical = MailAddress.parse(requireText(address, "address")).canonical();
        return directory.findAccount(canonical)
                .orElseThrow(() -> new MailException(MailError.NOT_FOUND, "No such account: " + canonical));
    }

    private DistributionGroupEntity group(String address) {
        String canonical = MailAddress.parse(requireText(address, "group")).canonical();
        return directory.findGroup(canonical)
                .orElseThrow(() -> new MailException(MailError.NOT_FOUND, "No such group: " + canonical));
    }

    /** An address we create: plain syntax only (no relay tricks, no literals, no quoting). */
    private static MailAddress localAddress(String address) {
        MailAddress parsed = MailAddress.parse(requireText(address, "address").trim());
        if (parsed.routingTrick().isPresent() || parsed.isIpLiteral() || parsed.localPart().startsWith("\"")) {
            throw new MailException(MailError.INVALID, "Not a plain address: " + address);
        }
        return parsed;
    }

    /** A target may be remote, but must be a plain address too. */
    private static String targetAddress(String target) {
        return localAddress(target).canonical();
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new MailException(MailError.INVALID,
                    "Password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new MailException(MailError.INVALID, "Missing " + what);
        }
        return value;
    }

    private static AccountView view(AccountEntity a) {
        return new AccountView(a.getAddress(), a.isAdmin(), a.isEnabled(), a.getQuotaBytes(), a.getUsedBytes());
    }

    private static MailboxView view(MailboxEntity m) {
        return new MailboxView(m.getName(), m.getSpecialUse(), m.getUidValidity(), m.getUidNext(),
                m.getHighestModSeq(), m.getMessageCount(), m.getSizeBytes());
    }
}
