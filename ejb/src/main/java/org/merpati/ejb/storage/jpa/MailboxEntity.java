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
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An IMAP mailbox with its counters. {@code uidNext} and {@code highestModSeq} are only advanced while the
 * row is locked (PESSIMISTIC_WRITE), which is what keeps UIDs unique and increasing.
 */
@Entity
@Table(name = "mailboxes")
public class MailboxEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "account_id", nullable = false)
    private AccountEntity account;

    @Column(name = "name", nullable = false, length = 1000)
    private String name;

    @Column(name = "special_use", length = 32)
    private String specialUse;

    @Column(name = "subscribed", nullable = false)
    private boolean subscribed;

    @Column(name = "uid_validity", nullable = false)
    private long uidValidity;

    @Column(name = "uid_next", nullable = false)
    private long uidNext;

    @Column(name = "highest_modseq", nullable = false)
    private long highestModSeq;

    @Column(name = "message_count", nullable = false)
    private long messageCount;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    /** Access control entries (identifier to rights letters); the owner is implicit, never stored. */
    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "mailbox_acl", joinColumns = @JoinColumn(name = "mailbox_id"))
    @MapKeyColumn(name = "identifier", length = 321)
    @Column(name = "rights", nullable = false, length = 32)
    private Map<String, String> acl = new TreeMap<>();

    /** Accounts other than the owner that subscribed to this (shared) mailbox. */
    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "mailbox_subscribers", joinColumns = @JoinColumn(name = "mailbox_id"))
    @Column(name = "account_id", nullable = false)
    private Set<Long> subscribers = new HashSet<>();

    protected MailboxEntity() {
    }

    public MailboxEntity(AccountEntity account, String name, String specialUse, long uidValidity) {
        this.account = account;
        this.name = name;
        this.specialUse = specialUse;
        this.subscribed = true;
        this.uidValidity = uidValidity;
        this.uidNext = 1;
        this.highestModSeq = 0;
    }

    public Long getId() {
        return id;
    }

    public AccountEntity getAccount() {
        return account;
    }

    public String getName() {
        return name;
    }

    public String getSpecialUse() {
        return specialUse;
    }

    public boolean isSubscribed() {
        return subscribed;
    }

    public long getUidValidity() {
        return uidValidity;
    }

    public long getUidNext() {
        return uidNext;
    }

    public long getHighestModSeq() {
        return highestModSeq;
    }

    public long getMessageCount() {
        return messageCount;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setSubscribed(boolean subscribed) {
        this.subscribed = subscribed;
    }

    /** The access control entries, modifiable (changes are written with the transaction). */
    public Map<String, String> getAcl() {
        return acl;
    }

    /** Ids of accounts other than the owner subscribed to this mailbox, modifiable. */
    public Set<Long> getSubscribers() {
        return subscribers;
    }

    /** Takes the next MODSEQ for a change that is not a new message (flags, expunge). Call with the row locked. */
    public long nextModSeq() {
        highestModSeq = highestModSeq + 1;
        return highestModSeq;
    }

    /** Counts messages out (expunge, move away). Call only with the row locked. */
    public void release(long messages, long bytes) {
        messageCount = Math.max(0, messageCount - messages);
        sizeBytes = Math.max(0, sizeBytes - bytes);
    }

    /**
     * Takes over all of {@code source}'s messages with their UIDs and MODSEQs (renaming INBOX moves its
     * messages into a new mailbox). Only for a new, empty mailbox, which has its own UIDVALIDITY.
     */
    public void takeOverCounters(MailboxEntity source) {
        this.uidNext = source.uidNext;
        this.highestModSeq = source.highestModSeq;
        this.messageCount = source.messageCount;
        this.sizeBytes = source.sizeBytes;
    }

    /**
     * Takes the next UID and MODSEQ for a new message and counts it in. Call only with the row locked.
     *
     * @return the UID assigned; the MODSEQ is {@link #getHighestModSeq()} afterwards
     */
    public long admit(long messageSize) {
        long uid = uidNext;
        uidNext = uid + 1;
        highestModSeq = highestModSeq + 1;
        messageCount++;
        sizeBytes += messageSize;
        return uid;
    }
}
