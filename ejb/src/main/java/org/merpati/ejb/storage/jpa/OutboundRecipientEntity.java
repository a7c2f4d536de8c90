package org.merpati.ejb.storage.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One recipient of a queued message and its delivery state. The state is a plain string column (see
 * {@link State}): an enum mapping would make Hibernate expect a native ENUM column on H2. Changes after creation
 * go through {@link OutboundRepository}'s conditional updates (state and generation checked in the statement),
 * never through this entity, so a late attempt cannot overwrite what an administrator or another node did.
 */
@Entity
@Table(name = "outbound_recipients")
public class OutboundRecipientEntity {

    /** QUEUED and SENDING are pending; the others are final. */
    public enum State {
        QUEUED, SENDING, DELIVERED, FAILED, EXPIRED, DELETED;

        public boolean isPending() {
            return this == QUEUED || this == SENDING;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "message_id", nullable = false)
    private long messageId;

    @Column(name = "address", nullable = false, length = 320)
    private String address;

    @Column(name = "domain", nullable = false, length = 253)
    private String domain;

    @Column(name = "dsn_notify", length = 100)
    private String dsnNotify;

    @Column(name = "dsn_orcpt", length = 1000)
    private String dsnOrcpt;

    @Column(name = "state", nullable = false, length = 16)
    private String state;

    @Column(name = "attempts", nullable = false)
    private int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;

    @Column(name = "last_attempt_at")
    private Instant lastAttemptAt;

    @Column(name = "last_status", length = 16)
    private String lastStatus;

    @Column(name = "last_error", length = 1000)
    private String lastError;

    @Column(name = "remote_mta", length = 300)
    private String remoteMta;

    @Column(name = "delay_notified", nullable = false)
    private boolean delayNotified;

    @Column(name = "generation", nullable = false)
    private long generation;

    protected OutboundRecipientEntity() {
    }

    /** A new recipient, due at {@code nextAttemptAt}, generation 0. */
    public OutboundRecipientEntity(long messageId, String address, String domain, String dsnNotify, String dsnOrcpt,
                                   Instant nextAttemptAt) {
        this.messageId = messageId;
        this.address = address;
        this.domain = domain;
        this.dsnNotify = dsnNotify;
        this.dsnOrcpt = dsnOrcpt;
        this.state = State.QUEUED.name();
        this.nextAttemptAt = nextAttemptAt;
    }

    public Long getId() {
        return id;
    }

    public long getMessageId() {
        return messageId;
    }

    public String getAddress() {
        return address;
    }

    public String getDomain() {
        return domain;
    }

    public String getDsnNotify() {
        return dsnNotify;
    }

    public String getDsnOrcpt() {
        return dsnOrcpt;
    }

    public State getState() {
        return State.valueOf(state);
    }

    public int getAttempts() {
        return attempts;
    }

    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    public Instant getLastAttemptAt() {
        return lastAttemptAt;
    }

    public String getLastStatus() {
        return lastStatus;
    }

    public String getLastError() {
        return lastError;
    }

    public String getRemoteMta() {
        return remoteMta;
    }

    public boolean isDelayNotified() {
        return delayNotified;
    }

    public long getGeneration() {
        return generation;
    }
}
