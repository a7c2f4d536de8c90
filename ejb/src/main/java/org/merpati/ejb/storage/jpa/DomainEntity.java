package org.merpati.ejb.storage.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A mail domain we are the destination for. The name is stored in lower case. */
@Entity
@Table(name = "domains")
public class DomainEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "name", nullable = false, length = 253)
    private String name;

    @Column(name = "catch_all", length = 320)
    private String catchAll;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** ENFORCE or REPORT_ONLY: how a DMARC reject or quarantine is applied to mail for this domain (V7). */
    @Column(name = "dmarc_enforcement", nullable = false, length = 16)
    private String dmarcEnforcement = ENFORCE;

    public static final String ENFORCE = "ENFORCE";
    public static final String REPORT_ONLY = "REPORT_ONLY";

    protected DomainEntity() {
    }

    public DomainEntity(String name, Instant createdAt) {
        this.name = name;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getCatchAll() {
        return catchAll;
    }

    public void setCatchAll(String catchAll) {
        this.catchAll = catchAll;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getDmarcEnforcement() {
        return dmarcEnforcement;
    }

    public void setDmarcEnforcement(String dmarcEnforcement) {
        if (!ENFORCE.equals(dmarcEnforcement) && !REPORT_ONLY.equals(dmarcEnforcement)) {
            throw new IllegalArgumentException("dmarc_enforcement must be ENFORCE or REPORT_ONLY");
        }
        this.dmarcEnforcement = dmarcEnforcement;
    }
}
