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

/**
 * A local mailbox owner. {@code address} is canonical (lower case); quota 0 means unlimited.
 *
 * <p>Kind {@link #USER} is a person (or role) who logs in. Kind {@link #SHARED} is the one pseudo-account of a
 * domain that owns its public folders (V8): its address is {@code @<domain>}, which is no mail address, and it
 * never logs in, receives mail or shows in listings ({@link DirectoryRepository} only finds users by address).
 */
@Entity
@Table(name = "accounts")
public class AccountEntity {

    public static final String USER = "USER";
    public static final String SHARED = "SHARED";
    /** Stored instead of a password hash for the SHARED pseudo-account: no password ever matches it. */
    static final String NO_PASSWORD = "!";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "domain_id", nullable = false)
    private DomainEntity domain;

    @Column(name = "address", nullable = false, length = 320)
    private String address;

    @Column(name = "password_hash", nullable = false, length = 200)
    private String passwordHash;

    @Column(name = "admin", nullable = false)
    private boolean admin;

    @Column(name = "enabled", nullable = false)
    private boolean enabled;

    @Column(name = "quota_bytes", nullable = false)
    private long quotaBytes;

    @Column(name = "used_bytes", nullable = false)
    private long usedBytes;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "kind", nullable = false, length = 16)
    private String kind = USER;

    protected AccountEntity() {
    }

    /** The pseudo-account that owns a domain's public folders: no password, no quota limit. */
    public static AccountEntity sharedFolders(DomainEntity domain, Instant createdAt) {
        AccountEntity account = new AccountEntity(domain, sharedAddress(domain.getName()), NO_PASSWORD, false, 0,
                createdAt);
        account.kind = SHARED;
        return account;
    }

    /** The address of a domain's public-folder pseudo-account. */
    public static String sharedAddress(String domain) {
        return "@" + domain;
    }

    /** Whether this is a domain's public-folder pseudo-account rather than a user. */
    public boolean isShared() {
        return SHARED.equals(kind);
    }

    public AccountEntity(DomainEntity domain, String address, String passwordHash, boolean admin, long quotaBytes,
                         Instant createdAt) {
        this.domain = domain;
        this.address = address;
        this.passwordHash = passwordHash;
        this.admin = admin;
        this.enabled = true;
        this.quotaBytes = quotaBytes;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public DomainEntity getDomain() {
        return domain;
    }

    public String getAddress() {
        return address;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public void setPasswordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    public boolean isAdmin() {
        return admin;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public long getQuotaBytes() {
        return quotaBytes;
    }

    public void setQuotaBytes(long quotaBytes) {
        this.quotaBytes = quotaBytes;
    }

    public long getUsedBytes() {
        return usedBytes;
    }

    public void addUsedBytes(long delta) {
        this.usedBytes = Math.max(0, usedBytes + delta);
    }
}
