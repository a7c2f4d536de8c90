package org.merpati.ejb.search;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import jakarta.transaction.UserTransaction;
import org.jboss.logging.Logger;
import org.merpati.ejb.platform.StorageReadiness;

/**
 * Starts the message index once the schema is migrated ({@link IndexMaintenance#start}: a rebuild, when
 * needed, runs in the background) and stops it cleanly on undeploy. Without it, searches use the scanner.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrator")
@TransactionManagement(TransactionManagementType.BEAN)
public class IndexLifecycle {

    private static final Logger LOG = Logger.getLogger(IndexLifecycle.class);

    @PersistenceUnit(unitName = "merpati")
    private EntityManagerFactory emf;

    @Resource
    private UserTransaction tx;

    @PostConstruct
    void start() {
        if (!StorageReadiness.isReady()) {
            LOG.warn("Storage is not ready: the full-text index is not started, searches use the scanner");
            return;
        }
        try {
            tx.begin();
            EntityManager em = emf.createEntityManager();
            try {
                IndexMaintenance.start(emf, em);
            } finally {
                em.close();
                tx.commit();
            }
        } catch (Exception e) {
            LOG.error("Full-text index not started; searches use the scanner", e);
        }
    }

    @PreDestroy
    void stop() {
        IndexMaintenance.stop(emf);
    }
}
