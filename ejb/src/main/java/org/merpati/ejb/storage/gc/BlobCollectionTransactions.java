package org.merpati.ejb.storage.gc;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.function.Function;

/**
 * The collector's transactions: each call a new one, so one blob's failure rolls back only that blob.
 * {@code @LocalBean}: implementing an interface would otherwise hide the no-interface view the timer injects.
 */
@Stateless
@LocalBean
public class BlobCollectionTransactions implements BlobCollector.Transactions {

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @Override
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public <T> T inNewTransaction(Function<EntityManager, T> work) {
        return work.apply(em);
    }
}
