package org.merpati.ejb.submission;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.ejb.outbound.OutboundQueue;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.service.DeliveryTransactions;
import org.merpati.ejb.service.DirectoryManager;
import org.merpati.ejb.service.MailboxManager;
import org.merpati.ejb.service.PasswordHasher;
import org.merpati.ejb.service.ResolvedRecipient;
import org.merpati.ejb.service.StoredMessage;
import org.merpati.ejb.storage.jpa.DirectoryRepository;

/**
 * The transactions of submission, on their own bean so the container applies them (calls from
 * {@link SubmissionService} go through the proxy). {@link #deliver} is the one that matters: local copies and
 * the outbound queue entry commit together or not at all.
 */
@Stateless
public class SubmissionTransactions {

    private static final PasswordHasher HASHER = new PasswordHasher();

    @PersistenceContext(unitName = "merpati")
    private EntityManager em;

    @EJB
    private DeliveryTransactions delivery;

    @EJB
    private OutboundQueue outbound;

    /** The directory's password check, the same as IMAP's (verified-password cache included). */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public String authenticate(String authzid, String authcid, String password) {
        return MailboxManager.authenticate(new DirectoryManager(em, HASHER, MerpatiConfig.current()), authzid,
                authcid, password);
    }

    /** @return the first address the account may not send as, or null */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public String firstForeign(String account, List<String> addresses) {
        return new SendAsManager(em).firstForeign(account, addresses);
    }

    /** Which of these (lower-case) domains are ours. */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public Set<String> localDomains(Collection<String> domains) {
        DirectoryRepository directory = new DirectoryRepository(em);
        Set<String> local = new LinkedHashSet<>();
        for (String domain : new LinkedHashSet<>(domains)) {
            if (directory.findDomain(domain).isPresent()) {
                local.add(domain);
            }
        }
        return local;
    }

    /**
     * Stores the local copies (the MX's delivery path) and queues the remote recipients, in one transaction.
     *
     * @param message the stored message for the local recipients, or null when there are none
     * @param file    the final message for the queue
     * @return the outbound queue id, or -1 when nothing was queued
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public long deliver(Envelope envelope, List<Recipient> local, Map<String, ResolvedRecipient> accepted,
                        StoredMessage message, List<Recipient> remote, Path file, long size) {
        if (!local.isEmpty()) {
            delivery.deliverAll(local, envelope, true, message, accepted);
        }
        if (remote.isEmpty()) {
            return -1;
        }
        try {
            return outbound.enqueue(envelope, remote, file, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a system exception: the local copies roll back too
        }
    }
}
