package org.merpati.ejb.service;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;
import org.merpati.ejb.api.AccountView;
import org.merpati.ejb.api.AliasView;
import org.merpati.ejb.api.Authenticator;
import org.merpati.ejb.api.DirectoryAdmin;
import org.merpati.ejb.api.DomainView;
import org.merpati.ejb.api.GroupView;
import org.merpati.ejb.api.MailboxView;
import org.merpati.ejb.platform.MerpatiConfig;

/** The built-in directory for the web tier and the protocols: a transactional shell over {@link DirectoryManager}. */
@Stateless
public class DirectoryService implements DirectoryAdmin, Authenticator {

    private static final PasswordHasher HASHER = new PasswordHasher();

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    private DirectoryManager manager() {
        return new DirectoryManager(em, HASHER, MerpatiConfig.current());
    }

    @Override
    public DomainView createDomain(String name) {
        return manager().createDomain(name);
    }

    @Override
    public List<DomainView> listDomains() {
        return manager().listDomains();
    }

    @Override
    public void deleteDomain(String name) {
        manager().deleteDomain(name);
    }

    @Override
    public AccountView createAccount(String address, String password, Long quotaBytes, boolean admin) {
        return manager().createAccount(address, password, quotaBytes, admin);
    }

    @Override
    public List<AccountView> listAccounts(String domain) {
        return manager().listAccounts(domain);
    }

    @Override
    public AccountView getAccount(String address) {
        return manager().getAccount(address);
    }

    @Override
    public void setPassword(String address, String password) {
        manager().setPassword(address, password);
    }

    @Override
    public void setQuota(String address, long quotaBytes) {
        manager().setQuota(address, quotaBytes);
    }

    @Override
    public void deleteAccount(String address) {
        manager().deleteAccount(address);
    }

    @Override
    public AliasView addAlias(String alias, String target) {
        return manager().addAlias(alias, target);
    }

    @Override
    public List<AliasView> listAliases(String domain) {
        return manager().listAliases(domain);
    }

    @Override
    public void deleteAlias(String alias, String target) {
        manager().deleteAlias(alias, target);
    }

    @Override
    public void setDmarcEnforcement(String domain, String enforcement) {
        manager().setDmarcEnforcement(domain, enforcement);
    }

    @Override
    public void setCatchAll(String domain, String target) {
        manager().setCatchAll(domain, target);
    }

    @Override
    public GroupView createGroup(String address) {
        return manager().createGroup(address);
    }

    @Override
    public void addGroupMember(String group, String member) {
        manager().addGroupMember(group, member);
    }

    @Override
    public void removeGroupMember(String group, String member) {
        manager().removeGroupMember(group, member);
    }

    @Override
    public List<GroupView> listGroups(String domain) {
        return manager().listGroups(domain);
    }

    @Override
    public List<MailboxView> listMailboxes(String address) {
        return manager().listMailboxes(address);
    }

    @Override
    public Optional<AuthenticatedAccount> authenticate(String login, String password) {
        return manager().authenticate(login, password);
    }
}
