package org.merpati.ejb.storage.blob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A blob that is durably on disk.
 *
 * <p>A blob just written also holds a private {@code copy} of its bytes (a hard link in the store's temp
 * directory, so no extra space). The blob collector may delete the shared file of an unreferenced blob with the
 * same content at any moment before this writer's transaction locks the blob row; the copy is what puts the
 * file back then ({@link BlobStore#ensurePlaced}). The writer drops it with {@link #discardCopy} once its
 * transactions are over.
 *
 * @param id   lower-case hex SHA-256 of the content
 * @param size content length in bytes
 * @param file where the blob lives in the store (null when not known)
 * @param copy the writer's private copy, or null
 */
public record StoredBlob(String id, long size, Path file, Path copy) {

    public StoredBlob(String id, long size) {
        this(id, size, null, null);
    }

    /**
     * Where to read the content before the blob row is locked: the private copy when there is one (the shared
     * file may be collected until then), else the shared file.
     */
    public Path readable() {
        return copy != null && Files.exists(copy) ? copy : file;
    }

    /** Deletes the private copy (the shared file stays); harmless when there is none. */
    public void discardCopy() {
        if (copy != null) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                // a leftover copy is removed by the collector's temp sweep
            }
        }
    }
}
