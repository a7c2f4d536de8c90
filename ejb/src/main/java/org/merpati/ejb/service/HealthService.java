package org.merpati.ejb.service;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.merpati.ejb.api.Health;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.StorageReadiness;

/** Storage readiness: schema migrated, database answering, blob directory writable. */
@Stateless
public class HealthService implements Health {

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @Override
    public String storageProblem() {
        String problem = StorageReadiness.problem();
        if (problem != null) {
            return problem;
        }
        try {
            em.createQuery("select count(d) from DomainEntity d", Long.class).getSingleResult();
        } catch (RuntimeException e) {
            return "database: " + e.getMessage();
        }
        Path blobs = MerpatiConfig.current().blobDir();
        if (!Files.isDirectory(blobs) || !Files.isWritable(blobs)) {
            return "blob store not writable: " + blobs;
        }
        return null;
    }
}
