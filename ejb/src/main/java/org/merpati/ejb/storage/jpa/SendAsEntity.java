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
 * A send-as grant: the account may submit mail as {@code address}, a canonical mailbox address or
 * {@code @domain} for every address of a domain.
 */
@Entity
@Table(name = "send_as")
public class SendAsEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "account_id", nullable = false)
    private AccountEntity account;

    @Column(name = "address", nullable = false, length = 320)
    private String address;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected SendAsEntity() {
    }

    public SendAsEntity(AccountEntity account, String address, Instant createdAt) {
        this.account = account;
        this.address = address;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public AccountEntity getAccount() {
        return account;
    }

    public String getAddress() {
        return address;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
