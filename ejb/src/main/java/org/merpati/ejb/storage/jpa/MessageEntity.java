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
import jakarta.persistence.Transient;
import java.time.Instant;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.proxy.LazyInitializer;
import org.hibernate.search.engine.environment.bean.BeanRetrieval;
import org.hibernate.search.mapper.pojo.automaticindexing.ReindexOnUpdate;
import org.hibernate.search.mapper.pojo.bridge.mapping.annotation.TypeBinderRef;
import org.hibernate.search.mapper.pojo.mapping.definition.annotation.Indexed;
import org.hibernate.search.mapper.pojo.mapping.definition.annotation.IndexingDependency;
import org.hibernate.search.mapper.pojo.mapping.definition.annotation.TypeBinding;
import org.merpati.ejb.search.MessageIndexBinder;
import org.merpati.ejb.search.MessageText;

/**
 * One message in one mailbox: IMAP metadata and the header values cached at delivery, pointing at the blob
 * that holds the bytes. Two mailboxes holding the same message have two rows and share the blob.
 * Full-text indexed by Hibernate Search ({@link MessageIndexBinder}); the mailbox and blob a row points at
 * never change, so changes inside those entities do not re-index it (SHALLOW).
 */
@Entity
@Table(name = "messages")
@Indexed(index = "messages")
@TypeBinding(binder = @TypeBinderRef(type = MessageIndexBinder.class, retrieval = BeanRetrieval.CONSTRUCTOR))
public class MessageEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "mailbox_id", nullable = false)
    @IndexingDependency(reindexOnUpdate = ReindexOnUpdate.SHALLOW)
    private MailboxEntity mailbox;

    @Column(name = "uid", nullable = false)
    private long uid;

    @Column(name = "modseq", nullable = false)
    private long modSeq;

    @Column(name = "flag_seen", nullable = false)
    private boolean seen;

    @Column(name = "flag_answered", nullable = false)
    private boolean answered;

    @Column(name = "flag_flagged", nullable = false)
    private boolean flagged;

    @Column(name = "flag_deleted", nullable = false)
    private boolean deleted;

    @Column(name = "flag_draft", nullable = false)
    private boolean draft;

    @Column(name = "keywords")
    private String keywords;

    @Column(name = "internal_date", nullable = false)
    private Instant internalDate;

    @Column(name = "saved_date", nullable = false)
    private Instant savedDate;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "blob_id", nullable = false)
    @IndexingDependency(reindexOnUpdate = ReindexOnUpdate.SHALLOW)
    private BlobEntity blob;

    @Column(name = "subject")
    private String subject;

    @Column(name = "from_address")
    private String fromAddress;

    @Column(name = "to_address")
    private String toAddress;

    @Column(name = "message_id", length = 1000)
    private String messageId;

    @Column(name = "date_header", length = 200)
    private String dateHeader;

    @Column(name = "envelope")
    private String envelope;

    @Column(name = "body_structure")
    private String bodyStructure;

    @Column(name = "envelope_from", length = 320)
    private String envelopeFrom;

    @Column(name = "envelope_rcpt", length = 320)
    private String envelopeRcpt;

    @Column(name = "dsn_notify", length = 100)
    private String dsnNotify;

    @Column(name = "dsn_orcpt", length = 1000)
    private String dsnOrcpt;

    @Column(name = "dsn_ret", length = 10)
    private String dsnRet;

    @Column(name = "dsn_envid", length = 200)
    private String dsnEnvId;

    /** Index terms of the blob extracted before the transaction, or null: not stored, read by the index bridge. */
    @Transient
    private MessageText indexText;

    protected MessageEntity() {
    }

    /** Gives the index bridge the blob's terms, extracted earlier from this row's blob (see {@link MessageText}). */
    public void useIndexText(MessageText text) {
        this.indexText = text;
    }

    public MessageText indexText() {
        return indexText;
    }

    public MessageEntity(MailboxEntity mailbox, long uid, long modSeq, BlobEntity blob, long sizeBytes,
                         Instant internalDate, Instant savedDate) {
        this.mailbox = mailbox;
        this.uid = uid;
        this.modSeq = modSeq;
        this.blob = blob;
        this.sizeBytes = sizeBytes;
        this.internalDate = internalDate;
        this.savedDate = savedDate;
    }

    /** Caches what IMAP FETCH ENVELOPE/BODYSTRUCTURE and SEARCH need without opening the blob. */
    public void cacheHeaders(String subject, String from, String to, String messageId, String date,
                             String envelopeJson, String bodyStructureJson) {
        this.subject = subject;
        this.fromAddress = from;
        this.toAddress = to;
        this.messageId = truncate(messageId, 1000);
        this.dateHeader = truncate(date, 200);
        this.envelope = envelopeJson;
        this.bodyStructure = bodyStructureJson;
    }

    /** Keeps the SMTP envelope and DSN parameters (RFC 3461) this copy arrived with. */
    public void recordDelivery(String envelopeFrom, String envelopeRcpt, String dsnNotify, String dsnOrcpt,
                               String dsnRet, String dsnEnvId) {
        this.envelopeFrom = truncate(envelopeFrom, 320);
        this.envelopeRcpt = truncate(envelopeRcpt, 320);
        this.dsnNotify = truncate(dsnNotify, 100);
        this.dsnOrcpt = truncate(dsnOrcpt, 1000);
        this.dsnRet = truncate(dsnRet, 10);
        this.dsnEnvId = truncate(dsnEnvId, 200);
    }

    /** Sets system flags and keywords (space-separated, null for none) with the MODSEQ of the change. */
    public void setFlags(boolean seen, boolean answered, boolean flagged, boolean deleted, boolean draft,
                         String keywords, long modSeq) {
        this.seen = seen;
        this.answered = answered;
        this.flagged = flagged;
        this.deleted = deleted;
        this.draft = draft;
        this.keywords = keywords;
        this.modSeq = modSeq;
    }

    /**
     * A copy of this message for another mailbox (COPY, MOVE): same blob, flags, internal date, cached
     * headers and delivery envelope; a new UID, MODSEQ and save date.
     */
    public MessageEntity copyTo(MailboxEntity target, long newUid, long newModSeq, Instant newSavedDate) {
        MessageEntity copy = new MessageEntity(target, newUid, newModSeq, blob, sizeBytes, internalDate,
                newSavedDate);
        copy.setFlags(seen, answered, flagged, deleted, draft, keywords, newModSeq);
        copy.subject = subject;
        copy.fromAddress = fromAddress;
        copy.toAddress = toAddress;
        copy.messageId = messageId;
        copy.dateHeader = dateHeader;
        copy.envelope = envelope;
        copy.bodyStructure = bodyStructure;
        copy.envelopeFrom = envelopeFrom;
        copy.envelopeRcpt = envelopeRcpt;
        copy.dsnNotify = dsnNotify;
        copy.dsnOrcpt = dsnOrcpt;
        copy.dsnRet = dsnRet;
        copy.dsnEnvId = dsnEnvId;
        return copy;
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    public Long getId() {
        return id;
    }

    public MailboxEntity getMailbox() {
        return mailbox;
    }

    /**
     * The mailbox's id without loading it: delivery links the row to an unloaded reference, and the index
     * bridge, which runs just before commit (under the row locks), needs only the id.
     */
    public Long getMailboxId() {
        LazyInitializer lazy = HibernateProxy.extractLazyInitializer(mailbox);
        return lazy != null ? (Long) lazy.getInternalIdentifier() : mailbox.getId();
    }

    public long getUid() {
        return uid;
    }

    public long getModSeq() {
        return modSeq;
    }

    public boolean isSeen() {
        return seen;
    }

    public boolean isAnswered() {
        return answered;
    }

    public boolean isFlagged() {
        return flagged;
    }

    public boolean isDeleted() {
        return deleted;
    }

    public boolean isDraft() {
        return draft;
    }

    public String getKeywords() {
        return keywords;
    }

    public Instant getInternalDate() {
        return internalDate;
    }

    public Instant getSavedDate() {
        return savedDate;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }

    public BlobEntity getBlob() {
        return blob;
    }

    public String getSubject() {
        return subject;
    }

    public String getFromAddress() {
        return fromAddress;
    }

    public String getToAddress() {
        return toAddress;
    }

    public String getMessageId() {
        return messageId;
    }

    public String getDateHeader() {
        return dateHeader;
    }

    public String getEnvelope() {
        return envelope;
    }

    public String getBodyStructure() {
        return bodyStructure;
    }

    public String getEnvelopeFrom() {
        return envelopeFrom;
    }

    public String getEnvelopeRcpt() {
        return envelopeRcpt;
    }

    public String getDsnNotify() {
        return dsnNotify;
    }

    public String getDsnOrcpt() {
        return dsnOrcpt;
    }

    public String getDsnRet() {
        return dsnRet;
    }

    public String getDsnEnvId() {
        return dsnEnvId;
    }
}
