/**
 * JPA storage: entities mapped onto the Flyway schema (db-migrations) and the repositories that query them.
 * Plain classes over an {@link jakarta.persistence.EntityManager}, so they run in the container (JTA) and in
 * tests (resource-local) alike. Entities never leave the EJB module; the web tier sees the DTOs in
 * {@code org.merpati.ejb.api}.
 */
package org.merpati.ejb.storage.jpa;
