package org.merpati.ejb.service;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.ejb.mailauth.MessageSigning;
import org.merpati.ejb.outbound.OutboundQueue;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.DomainEntity;
import org.merpati.ejb.storage.jpa.MailboxRepository;

/**
 * The transaction boundaries of delivery, on their own bean so the container applies them (a call from
 * {@link DeliveryService} goes through the proxy). A {@link org.merpati.ejb.domain.MailException} or any
 * other failure rolls the transaction back. Remote targets of aliases and groups are queued outbound in the same
 * transaction.
 */
@Stateless
public class DeliveryTransactions {

    private static final Logger LOG = Logger.getLogger(DeliveryTransactions.class);

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @Resource
    private TransactionSynchronizationRegistry transactionRegistry;

    @EJB
    private OutboundQueue outbound;

    @EJB
    private MessageSigning signing;

    /**
     * SMTP: every recipient in one transaction, all or nothing. {@code accepted} holds the RCPT-time
     * resolutions by address (see {@link AcceptedRecipients}); others are resolved now.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public List<AppendedMessage> deliverAll(List<Recipient> recipients, Envelope envelope, boolean authenticated,
                                            StoredMessage message, Map<String, ResolvedRecipient> accepted) {
        return deliverAll(recipients, envelope, authenticated, message, accepted, Set.of());
    }

    /** As above; the copies for {@code junkRecipients} (RCPT addresses) go to the Junk folder (DMARC quarantine). */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public List<AppendedMessage> deliverAll(List<Recipient> recipients, Envelope envelope, boolean authenticated,
                                            StoredMessage message, Map<String, ResolvedRecipient> accepted,
                                            Set<String> junkRecipients) {
        LocalDelivery delivery = delivery().toJunk(junkRecipients);
        List<AppendedMessage> appended = delivery.deliver(recipients, envelope, authenticated, message,
                accepted, Instant.now());
        forward(envelope, message, delivery.forwards());
        em.flush(); // constraint violations surface here, inside the bean, not at commit
        announce(appended);
        return appended;
    }

    /** LMTP: one recipient, in a transaction of its own whatever the caller has. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<AppendedMessage> deliverOne(Recipient recipient, Envelope envelope, boolean authenticated,
                                            StoredMessage message, Map<String, ResolvedRecipient> accepted) {
        LocalDelivery delivery = delivery();
        List<AppendedMessage> appended = delivery.deliver(List.of(recipient), envelope, authenticated, message,
                accepted, Instant.now());
        forward(envelope, message, delivery.forwards());
        em.flush();
        announce(appended);
        return appended;
    }

    /**
     * RFC 8617: a message we forward carries our ARC set, so the next receiver can see what this hop's checks
     * found even though SPF will fail there (the envelope sender is kept). Sealed with the RSA key of the
     * forwarding address's domain; nothing when the message has no results of ours (LMTP, checks off) or the
     * domain has no key. A sealing failure forwards the message unsealed rather than refusing the delivery.
     *
     * @return a file holding the ARC set followed by {@code copy}, or null
     */
    private Path arcSeal(Path stored, Path copy, String forwardingAddress) {
        try {
            String results = RemoteForwarding.ownAuthenticationResults(stored, MerpatiConfig.current().hostname());
            if (results == null) {
                return null;
            }
            String domain = forwardingAddress.substring(forwardingAddress.lastIndexOf('@') + 1);
            String arcSet = signing.arcSet(domain, copy, results);
            if (arcSet.isEmpty()) {
                return null;
            }
            Path sealed = Files.createTempFile(copy.getParent(), "sealed-", ".eml");
            try (var out = Files.newOutputStream(sealed)) {
                out.write(arcSet.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                Files.copy(copy, out);
            }
            return sealed;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Forwarding without an ARC seal: %s", e.toString());
            return null;
        }
    }

    /**
     * Queues the remote targets of aliases and groups in this transaction (see {@link RemoteForwarding}): the
     * stored copy without its Return-Path, through a work file the queue copies.
     */
    private void forward(Envelope envelope, StoredMessage message, List<RemoteForwarding.Forward> forwards) {
        if (forwards.isEmpty()) {
            return;
        }
        List<Recipient> remote = RemoteForwarding.recipients(forwards);
        MerpatiConfig config = MerpatiConfig.current();
        BlobStore blobs = new BlobStore(config.blobDir());
        Path work = null;
        try {
            work = Files.createTempFile(Files.createDirectories(config.dataDir().resolve("forward")), "forward-",
                    ".eml");
            // the private copy when there is one: without local targets nothing locked the blob row
            Path stored = message.blob().readable() != null ? message.blob().readable()
                    : blobs.pathOf(message.blob().id());
            long size = RemoteForwarding.copyForRelay(stored, work);
            Path sealed = arcSeal(stored, work, forwards.get(0).resolvedAddress());
            if (sealed != null) {
                Files.move(sealed, work, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                size = Files.size(work);
            }
            long id = outbound.enqueue(RemoteForwarding.envelope(envelope, remote), remote, work, size);
            LOG.infof("Message %s forwarded to %d remote address(es) as outbound %d", message.blob().id(),
                    remote.size(), id);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the whole delivery rolls back: nothing acknowledged, nothing lost
        } finally {
            if (work != null) {
                try {
                    Files.deleteIfExists(work);
                } catch (IOException e) {
                    LOG.warnf("Could not delete %s: %s", work, e);
                }
            }
        }
    }

    /** Wakes IMAP sessions (IDLE, NOTIFY) watching these mailboxes once the delivery has committed. */
    private void announce(List<AppendedMessage> appended) {
        ChangeNotifier notifier = new ChangeNotifier(transactionRegistry);
        for (AppendedMessage a : appended) {
            notifier.mailboxChanged(a.mailboxId(), a.modSeq());
        }
    }

    /**
     * The DMARC enforcement (V7: ENFORCE or REPORT_ONLY) of each of these domains that is ours; a short read
     * of its own, outside delivery's transaction.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public Map<String, String> dmarcEnforcement(Collection<String> domains) {
        Map<String, String> settings = new HashMap<>();
        if (domains.isEmpty()) {
            return settings;
        }
        for (DomainEntity domain : em.createQuery("select d from DomainEntity d where d.name in :names",
                DomainEntity.class).setParameter("names", domains).getResultList()) {
            settings.put(domain.getName(), domain.getDmarcEnforcement());
        }
        return settings;
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public ResolvedRecipient check(String address, boolean authenticated, long declaredSize) {
        return delivery().check(address, authenticated, declaredSize);
    }

    private LocalDelivery delivery() {
        // nothing delivery reads depends on unflushed changes (rows are inserted at once, counters changed by
        // statements), so the queries need not flush the persistence context first: that costs CPU per query
        em.setFlushMode(FlushModeType.COMMIT);
        return new LocalDelivery(new DirectoryRepository(em), new MailboxRepository(em));
    }
}
