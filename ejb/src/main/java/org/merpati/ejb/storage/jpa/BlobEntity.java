package org.merpati.ejb.storage.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Bookkeeping for one content-addressed file of the blob store: how many message rows use it. */
@Entity
@Table(name = "blobs")
public class BlobEntity {

    @Id
    @Column(name = "id", nullable = false, length = 64)
    private String id;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Column(name = "ref_count", nullable = false)
    private long refCount;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** When the count last dropped to zero; null while referenced (V9, read by the blob collector). */
    @Column(name = "released_at")
    private Instant releasedAt;

    protected BlobEntity() {
    }

    public BlobEntity(String id, long sizeBytes, Instant createdAt) {
        this.id = id;
        this.sizeBytes = sizeBytes;
        this.createdAt = createdAt;
    }

    public String getId() {
        return id;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }

    public long getRefCount() {
        return refCount;
    }

    public Instant getReleasedAt() {
        return releasedAt;
    }

    public void addReference() {
        refCount++;
        releasedAt = null;
    }

    /** Drops {@code count} references; the last one starts the collector's grace period. */
    public void releaseReferences(long count) {
        refCount = Math.max(0, refCount - count);
        if (refCount == 0 && count > 0) {
            releasedAt = Instant.now();
        }
    }
}
