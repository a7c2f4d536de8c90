package org.merpati.ejb.storage.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A message in the outbound queue: its envelope and where its bytes are. The blob row counts one reference
 * for it (released when the last recipient is final, see {@link OutboundRepository#finishIfDone}).
 */
@Entity
@Table(name = "outbound_messages")
public class OutboundMessageEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "blob_id", nullable = false, length = 64)
    private String blobId;

    @Column(name = "reverse_path", nullable = false, length = 320)
    private String reversePath;

    @Column(name = "body_type", nullable = false, length = 16)
    private String bodyType;

    @Column(name = "smtputf8", nullable = false)
    private boolean smtpUtf8;

    @Column(name = "dsn_ret", length = 10)
    private String dsnRet;

    @Column(name = "dsn_envid", length = 200)
    private String dsnEnvId;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected OutboundMessageEntity() {
    }

    public OutboundMessageEntity(String blobId, String reversePath, String bodyType, boolean smtpUtf8, String dsnRet,
                                 String dsnEnvId, long sizeBytes, Instant createdAt, Instant expiresAt) {
        this.blobId = blobId;
        this.reversePath = reversePath == null ? "" : reversePath;
        this.bodyType = bodyType == null ? "7BIT" : bodyType;
        this.smtpUtf8 = smtpUtf8;
        this.dsnRet = dsnRet;
        this.dsnEnvId = dsnEnvId;
        this.sizeBytes = sizeBytes;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public Long getId() {
        return id;
    }

    public String getBlobId() {
        return blobId;
    }

    /** MAIL FROM; empty for the null sender. */
    public String getReversePath() {
        return reversePath;
    }

    public String getBodyType() {
        return bodyType;
    }

    public boolean isSmtpUtf8() {
        return smtpUtf8;
    }

    public String getDsnRet() {
        return dsnRet;
    }

    public String getDsnEnvId() {
        return dsnEnvId;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }
}
