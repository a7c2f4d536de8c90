package org.merpati.ejb.api;

import jakarta.ejb.Local;
import java.util.List;

/**
 * Administration of the directory: domains, accounts, aliases, groups (distribution lists), catch-alls and
 * quotas. Addresses are compared case-insensitively; domains are stored in lower case (IDNs as A-labels).
 * Failures are {@link org.merpati.ejb.domain.MailException}s.
 */
@Local
public interface DirectoryAdmin {

    DomainView createDomain(String name);

    List<DomainView> listDomains();

    /** Refuses with NOT_POSSIBLE while the domain still has accounts, aliases or groups. */
    void deleteDomain(String name);

    /**
     * Creates an account with INBOX, Sent, Drafts, Trash, Junk and Archive.
     *
     * @param quotaBytes storage quota in bytes, null for the configured default, 0 for unlimited
     */
    AccountView createAccount(String address, String password, Long quotaBytes, boolean admin);

    List<AccountView> listAccounts(String domain);

    AccountView getAccount(String address);

    void setPassword(String address, String password);

    void setQuota(String address, long quotaBytes);

    /** Deletes the account, its mailboxes and message rows (blobs are collected separately). */
    void deleteAccount(String address);

    /** Adds alias {@code alias} delivering to {@code target} (a local or remote address). */
    AliasView addAlias(String alias, String target);

    List<AliasView> listAliases(String domain);

    void deleteAlias(String alias, String target);

    /** Mail for an unknown local part of {@code domain} goes to {@code target}; null removes the catch-all. */
    void setCatchAll(String domain, String target);

    /**
     * Whether a failing DMARC policy of the sender's domain is applied to mail for {@code domain}
     * ({@code ENFORCE}: reject or Junk as the policy says) or only recorded ({@code REPORT_ONLY}).
     */
    void setDmarcEnforcement(String domain, String enforcement);

    GroupView createGroup(String address);

    void addGroupMember(String group, String member);

    void removeGroupMember(String group, String member);

    List<GroupView> listGroups(String domain);

    List<MailboxView> listMailboxes(String address);
}
