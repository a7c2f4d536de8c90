package org.merpati.ejb.storage.blob;

/**
 * A blob that is durably on disk.
 *
 * @param id   lower-case hex SHA-256 of the content
 * @param size content length in bytes
 */
public record StoredBlob(String id, long size) {
}
