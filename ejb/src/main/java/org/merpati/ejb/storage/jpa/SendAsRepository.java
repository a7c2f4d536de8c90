package org.merpati.ejb.storage.jpa;

import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** Queries over send-as grants. Arguments are canonical (lower-case). */
public class SendAsRepository {

    private final EntityManager em;

    public SendAsRepository(EntityManager em) {
        this.em = em;
    }

    /** The granted addresses and {@code @domain} entries of the account with this address, sorted. */
    public List<String> grantsOf(String accountAddress) {
        return em.createQuery("select s.address from SendAsEntity s where s.account.address = :account "
                + "order by s.address", String.class).setParameter("account", accountAddress).getResultList();
    }

    public List<SendAsEntity> listFor(AccountEntity account) {
        return em.createQuery("select s from SendAsEntity s where s.account = :account order by s.address",
                SendAsEntity.class).setParameter("account", account).getResultList();
    }

    public Optional<SendAsEntity> find(AccountEntity account, String address) {
        return em.createQuery("select s from SendAsEntity s where s.account = :account and s.address = :address",
                SendAsEntity.class).setParameter("account", account).setParameter("address", address)
                .getResultStream().findFirst();
    }

    public void persist(SendAsEntity grant) {
        em.persist(grant);
    }

    public void remove(SendAsEntity grant) {
        em.remove(grant);
    }
}
