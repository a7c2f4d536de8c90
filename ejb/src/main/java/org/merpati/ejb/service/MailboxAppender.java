package org.merpati.ejb.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.mime.ParsedMessage;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.blob.StoredBlob;
import org.merpati.ejb.storage.jpa.AccountEntity;
import org.merpati.ejb.storage.jpa.BlobEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.MailboxEntity;
import org.merpati.ejb.storage.jpa.MailboxRepository;
import org.merpati.ejb.storage.jpa.MessageEntity;

/**
 * Inserts message rows for a stored blob: the storage step shared by delivery and IMAP APPEND.
 * Runs inside the caller's transaction. Locks are taken in one order everywhere — blob row, then accounts by
 * id, then each account's mailbox — so concurrent deliveries wait for each other but never deadlock; the
 * mailbox lock is what makes UID and MODSEQ assignment race-free.
 */
public final class MailboxAppender {

    public static final String INBOX = "INBOX";

    private static final Logger LOG = Logger.getLogger(MailboxAppender.class);

    private final DirectoryRepository directory;
    private final MailboxRepository mailboxes;

    public MailboxAppender(DirectoryRepository directory, MailboxRepository mailboxes) {
        this.directory = directory;
        this.mailboxes = mailboxes;
    }

    /**
     * Takes {@code copies} references on the blob row in one statement, no read (see
     * {@link MailboxRepository#addBlobReferences}); call once per transaction before {@link #deliver} or
     * {@link #admit}. With the row locked, puts the file back from the message's private copy if a collector
     * removed it ({@link #ensurePlaced}).
     */
    public BlobEntity referenceBlobForDelivery(StoredMessage message, int copies, Instant now) {
        BlobEntity blob = mailboxes.addBlobReferences(message.blob().id(), message.blob().size(), now, copies);
        ensurePlaced(message);
        return blob;
    }

    /**
     * The file check after the row lock: the collector deletes a file only under that lock, so from here to the
     * commit the file stays. A missing file without a copy to restore it from fails the transaction (nothing is
     * acknowledged, the sender tries again).
     */
    private static void ensurePlaced(StoredMessage message) {
        StoredBlob blob = message.blob();
        if (blob.file() == null) {
            return; // not written through a BlobStore here (tests that build messages by hand)
        }
        try {
            if (BlobStore.containing(blob).ensurePlaced(blob)) {
                LOG.infof("Blob %s was collected before this reference locked its row: put back", blob.id());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("blob " + blob.id() + " is missing", e);
        }
    }

    /**
     * Stores one delivered copy: the account must be enabled and within quota, checked by the statements
     * themselves. Each row lock is taken by the statement that changes the row (usage charged under the quota
     * condition, then UID and MODSEQ taken), so the locks are held from the first of these few statements to
     * the commit and nothing is read before. The lock order is blob, then account, then its mailbox. Only a
     * refusal reads the account, to say why.
     */
    public AppendedMessage deliver(LocalTarget target, String mailboxName, BlobEntity blob, StoredMessage message,
                                   DeliveryEnvelope envelope, Instant now) {
        return admit(target, mailboxName, blob, message, envelope, ImapFlags.NONE, now, now);
    }

    /**
     * {@link #deliver}'s statements with APPEND's flags and internal date ({@code envelope} null for APPEND).
     * Entities of the account and mailbox already loaded in the persistence context keep their old counters:
     * callers must not change and flush them afterwards in the same transaction.
     */
    public AppendedMessage admit(LocalTarget target, String mailboxName, BlobEntity blob, StoredMessage message,
                                 DeliveryEnvelope envelope, ImapFlags flags, Instant internalDate, Instant now) {
        long size = message.blob().size();
        if (!mailboxes.chargeAccount(target.accountId(), size)) {
            AccountEntity account = directory.lockAccount(target.accountId());
            if (account == null) {
                throw new MailException(MailError.NOT_FOUND, "Account no longer exists");
            }
            if (!account.isEnabled()) {
                throw new MailException(MailError.NOT_POSSIBLE, "Mailbox disabled: " + account.getAddress());
            }
            QuotaPolicy.check(account, size);
            // the checks pass on the state read under the lock, so the charge cannot be refused again
            if (!mailboxes.chargeAccount(target.accountId(), size)) {
                throw new IllegalStateException("Usage of " + account.getAddress() + " could not be charged");
            }
        }
        MailboxRepository.Admission admission = mailboxes.admitMessage(target.accountId(), mailboxName, size)
                .orElseThrow(() -> new MailException(MailError.NOT_FOUND,
                        "Mailbox " + mailboxName + " of " + target.address() + " does not exist"));
        MailboxEntity mailbox = mailboxes.entityManager().getReference(MailboxEntity.class, admission.mailboxId());
        MessageEntity row = new MessageEntity(mailbox, admission.uid(), admission.modSeq(), blob, size, internalDate,
                now);
        flags.writeTo(row, admission.modSeq());
        ParsedMessage parsed = message.parsed();
        row.cacheHeaders(parsed.subject(), parsed.from(), parsed.to(), parsed.messageId(), parsed.date(),
                parsed.envelopeJson(), parsed.bodyStructureJson());
        if (envelope != null) {
            row.recordDelivery(envelope.reversePath(), envelope.recipient(), envelope.dsnNotify(),
                    envelope.dsnOrcpt(), envelope.dsnRet(), envelope.dsnEnvId());
        }
        row.useIndexText(message.indexText());
        mailboxes.persist(row);
        return new AppendedMessage(admission.mailboxId(), target.address(), mailboxName, admission.uidValidity(),
                admission.uid(), admission.modSeq());
    }
}
