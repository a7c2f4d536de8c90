package org.merpati.ejb.storage.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

/** Queries over domains, accounts, aliases and groups. Arguments are canonical (lower-case) names. */
public class DirectoryRepository {

    private final EntityManager em;

    public DirectoryRepository(EntityManager em) {
        this.em = em;
    }

    public EntityManager entityManager() {
        return em;
    }

    public Optional<DomainEntity> findDomain(String name) {
        return em.createQuery("select d from DomainEntity d where d.name = :name", DomainEntity.class)
                .setParameter("name", name).getResultStream().findFirst();
    }

    public List<DomainEntity> listDomains() {
        return em.createQuery("select d from DomainEntity d order by d.name", DomainEntity.class).getResultList();
    }

    /** The user account with this address (never a domain's public-folder pseudo-account). */
    public Optional<AccountEntity> findAccount(String address) {
        return em.createQuery("select a from AccountEntity a where a.address = :address and a.kind = :kind",
                        AccountEntity.class)
                .setParameter("address", address).setParameter("kind", AccountEntity.USER)
                .getResultStream().findFirst();
    }

    /** The pseudo-account that owns the domain's public folders, if any was created. */
    public Optional<AccountEntity> findSharedAccount(DomainEntity domain) {
        return em.createQuery("select a from AccountEntity a where a.domain = :domain and a.kind = :kind",
                        AccountEntity.class)
                .setParameter("domain", domain).setParameter("kind", AccountEntity.SHARED)
                .getResultStream().findFirst();
    }

    /**
     * Locks the account row so quota checks and {@code used_bytes} updates serialize. Refreshes under the
     * lock: an instance already in the persistence context may hold values read before another transaction
     * committed.
     */
    public AccountEntity lockAccount(long id) {
        AccountEntity account = em.find(AccountEntity.class, id);
        if (account != null) {
            em.refresh(account, LockModeType.PESSIMISTIC_WRITE);
        }
        return account;
    }

    /** The domain's user accounts (not its public-folder pseudo-account). */
    public List<AccountEntity> listAccounts(DomainEntity domain) {
        return em.createQuery("select a from AccountEntity a where a.domain = :domain and a.kind = :kind "
                        + "order by a.address", AccountEntity.class)
                .setParameter("domain", domain).setParameter("kind", AccountEntity.USER).getResultList();
    }

    /** How many user accounts the domain has (its public-folder pseudo-account is not one). */
    public long countAccounts(DomainEntity domain) {
        return em.createQuery("select count(a) from AccountEntity a where a.domain = :domain and a.kind = :kind",
                        Long.class)
                .setParameter("domain", domain).setParameter("kind", AccountEntity.USER).getSingleResult();
    }

    public List<AliasEntity> findAliasTargets(String alias) {
        return em.createQuery("select a from AliasEntity a where a.alias = :alias order by a.id", AliasEntity.class)
                .setParameter("alias", alias).getResultList();
    }

    public List<AliasEntity> listAliases(DomainEntity domain) {
        return em.createQuery("select a from AliasEntity a where a.domain = :domain order by a.alias, a.target",
                AliasEntity.class).setParameter("domain", domain).getResultList();
    }

    public long countAliases(DomainEntity domain) {
        return em.createQuery("select count(a) from AliasEntity a where a.domain = :domain", Long.class)
                .setParameter("domain", domain).getSingleResult();
    }

    public Optional<DistributionGroupEntity> findGroup(String address) {
        return em.createQuery("select g from DistributionGroupEntity g where g.address = :address",
                DistributionGroupEntity.class).setParameter("address", address).getResultStream().findFirst();
    }

    public List<DistributionGroupEntity> listGroups(DomainEntity domain) {
        return em.createQuery("select g from DistributionGroupEntity g where g.domain = :domain order by g.address",
                DistributionGroupEntity.class).setParameter("domain", domain).getResultList();
    }

    public long countGroups(DomainEntity domain) {
        return em.createQuery("select count(g) from DistributionGroupEntity g where g.domain = :domain", Long.class)
                .setParameter("domain", domain).getSingleResult();
    }

    /** Addresses of the groups that have one of the addresses as a direct member. */
    public List<String> groupsWithMembers(java.util.Collection<String> members) {
        if (members.isEmpty()) {
            return List.of();
        }
        return em.createQuery("select distinct g.address from DistributionGroupEntity g join g.members m "
                + "where m in :members", String.class).setParameter("members", members).getResultList();
    }

    /** Aliases that deliver to one of the addresses. */
    public List<String> aliasesOf(java.util.Collection<String> targets) {
        if (targets.isEmpty()) {
            return List.of();
        }
        return em.createQuery("select distinct a.alias from AliasEntity a where a.target in :targets", String.class)
                .setParameter("targets", targets).getResultList();
    }

    public void persist(Object entity) {
        em.persist(entity);
    }

    public void remove(Object entity) {
        em.remove(entity);
    }
}
