package org.merpati.ejb.service;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.MailboxRepository;

/**
 * The transaction boundaries of delivery, on their own bean so the container applies them (a call from
 * {@link DeliveryService} goes through the proxy). A {@link org.merpati.ejb.domain.MailException} or any
 * other failure rolls the transaction back.
 */
@Stateless
public class DeliveryTransactions {

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @Resource
    private TransactionSynchronizationRegistry transactionRegistry;

    /**
     * SMTP: every recipient in one transaction, all or nothing. {@code accepted} holds the RCPT-time
     * resolutions by address (see {@link AcceptedRecipients}); others are resolved now.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public List<AppendedMessage> deliverAll(List<Recipient> recipients, Envelope envelope, boolean authenticated,
                                            StoredMessage message, Map<String, ResolvedRecipient> accepted) {
        List<AppendedMessage> appended = delivery().deliver(recipients, envelope, authenticated, message,
                accepted, Instant.now());
        em.flush(); // constraint violations surface here, inside the bean, not at commit
        announce(appended);
        return appended;
    }

    /** LMTP: one recipient, in a transaction of its own whatever the caller has. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<AppendedMessage> deliverOne(Recipient recipient, Envelope envelope, boolean authenticated,
                                            StoredMessage message, Map<String, ResolvedRecipient> accepted) {
        List<AppendedMessage> appended = delivery().deliver(List.of(recipient), envelope, authenticated, message,
                accepted, Instant.now());
        em.flush();
        announce(appended);
        return appended;
    }

    /** Wakes IMAP sessions (IDLE, NOTIFY) watching these mailboxes once the delivery has committed. */
    private void announce(List<AppendedMessage> appended) {
        ChangeNotifier notifier = new ChangeNotifier(transactionRegistry);
        for (AppendedMessage a : appended) {
            notifier.mailboxChanged(a.mailboxId(), a.modSeq());
        }
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
