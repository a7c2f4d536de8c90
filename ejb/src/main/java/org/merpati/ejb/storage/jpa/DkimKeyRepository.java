package org.merpati.ejb.storage.jpa;

import jakarta.persistence.EntityManager;
import java.util.List;
import java.util.Optional;

/** Queries on {@link DkimKeyEntity}; domain names are canonical (lower case). */
public class DkimKeyRepository {

    private final EntityManager em;

    public DkimKeyRepository(EntityManager em) {
        this.em = em;
    }

    public void persist(DkimKeyEntity key) {
        em.persist(key);
    }

    /** All keys of a domain, oldest first. */
    public List<DkimKeyEntity> list(String domain) {
        return em.createQuery("select k from DkimKeyEntity k where k.domain.name = :domain order by k.createdAt, k.id",
                DkimKeyEntity.class).setParameter("domain", domain).getResultList();
    }

    /** The active keys of a domain, oldest first. */
    public List<DkimKeyEntity> active(String domain) {
        return em.createQuery("select k from DkimKeyEntity k where k.domain.name = :domain and k.active = true"
                + " order by k.createdAt, k.id", DkimKeyEntity.class).setParameter("domain", domain).getResultList();
    }

    public Optional<DkimKeyEntity> find(String domain, String selector) {
        return em.createQuery("select k from DkimKeyEntity k where k.domain.name = :domain and k.selector = :selector",
                        DkimKeyEntity.class)
                .setParameter("domain", domain).setParameter("selector", selector).getResultStream().findFirst();
    }
}
