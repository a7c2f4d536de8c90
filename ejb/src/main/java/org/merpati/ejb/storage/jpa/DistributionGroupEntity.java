package org.merpati.ejb.storage.jpa;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.LinkedHashSet;
import java.util.Set;

/** A distribution list: mail to its address goes to every member address. */
@Entity
@Table(name = "distribution_groups")
public class DistributionGroupEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "domain_id", nullable = false)
    private DomainEntity domain;

    @Column(name = "address", nullable = false, length = 320)
    private String address;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "group_members", joinColumns = @JoinColumn(name = "group_id"))
    @Column(name = "member", nullable = false, length = 320)
    private Set<String> members = new LinkedHashSet<>();

    protected DistributionGroupEntity() {
    }

    public DistributionGroupEntity(DomainEntity domain, String address) {
        this.domain = domain;
        this.address = address;
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

    public Set<String> getMembers() {
        return members;
    }
}
