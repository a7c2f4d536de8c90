package org.merpati.ejb.api;

import jakarta.ejb.Local;

/** Readiness of the storage layer for the health endpoint. */
@Local
public interface Health {

    /** @return null when the database and blob store answer, else what is wrong */
    String storageProblem();
}
