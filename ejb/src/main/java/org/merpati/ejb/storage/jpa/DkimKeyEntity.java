package org.merpati.ejb.storage.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;

/** A DKIM signing key of a domain (V5 {@code dkim_keys}); the private key is stored encrypted. */
@Entity
@Table(name = "dkim_keys")
public class DkimKeyEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "domain_id", nullable = false)
    private DomainEntity domain;

    @Column(name = "selector", nullable = false, length = 63)
    private String selector;

    /** rsa-sha256 or ed25519-sha256 */
    @Column(name = "algorithm", nullable = false, length = 16)
    private String algorithm;

    /** Encrypted PKCS#8 (see PrivateKeyCipher). */
    @Column(name = "private_key", nullable = false)
    private String privateKey;

    /** The base64 p= value. */
    @Column(name = "public_key", nullable = false)
    private String publicKey;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "active", nullable = false)
    private boolean active;

    protected DkimKeyEntity() {
    }

    public DkimKeyEntity(DomainEntity domain, String selector, String algorithm, String privateKey, String publicKey,
                         Instant createdAt) {
        this.domain = domain;
        this.selector = selector;
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.createdAt = createdAt;
        this.active = true;
    }

    public Long getId() {
        return id;
    }

    public DomainEntity getDomain() {
        return domain;
    }

    public String getSelector() {
        return selector;
    }

    public String getAlgorithm() {
        return algorithm;
    }

    public String getPrivateKey() {
        return privateKey;
    }

    public String getPublicKey() {
        return publicKey;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public boolean isActive() {
        return active;
    }

    public void setActive(boolean active) {
        this.active = active;
    }
}
