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

/** One target of an alias; an alias with several targets has several rows. */
@Entity
@Table(name = "aliases")
public class AliasEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "domain_id", nullable = false)
    private DomainEntity domain;

    @Column(name = "alias", nullable = false, length = 320)
    private String alias;

    @Column(name = "target", nullable = false, length = 320)
    private String target;

    protected AliasEntity() {
    }

    public AliasEntity(DomainEntity domain, String alias, String target) {
        this.domain = domain;
        this.alias = alias;
        this.target = target;
    }

    public Long getId() {
        return id;
    }

    public DomainEntity getDomain() {
        return domain;
    }

    public String getAlias() {
        return alias;
    }

    public String getTarget() {
        return target;
    }
}
