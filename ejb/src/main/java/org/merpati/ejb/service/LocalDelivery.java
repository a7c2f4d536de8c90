package org.merpati.ejb.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.ejb.storage.jpa.BlobEntity;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.MailboxRepository;

/**
 * The storage half of the one delivery path: resolves recipients and appends one row per target account to
 * its INBOX, all inside the caller's transaction. SMTP passes every recipient (all-or-nothing), LMTP one at
 * a time (one transaction each). An account reached through several recipients or groups gets one copy.
 */
public final class LocalDelivery {

    private static final Logger LOG = Logger.getLogger(LocalDelivery.class);

    /** One entry per account, in account id order: the lock order. */
    private static final Comparator<LocalTarget> BY_ACCOUNT = Comparator.comparingLong(LocalTarget::accountId);

    private final DirectoryRepository directory;
    private final RecipientResolver resolver;
    private final MailboxAppender appender;
    private final MailboxRepository mailboxes;
    /** RCPT addresses whose copies go to the Junk folder (DMARC quarantine); empty: all to INBOX. */
    private Set<String> junkRecipients = Set.of();
    /** Remote targets met by {@link #deliver}, for the caller to queue in the same transaction. */
    private final List<RemoteForwarding.Forward> forwards = new ArrayList<>();

    public LocalDelivery(DirectoryRepository directory, MailboxRepository mailboxes) {
        this.directory = directory;
        this.resolver = new RecipientResolver(directory);
        this.appender = new MailboxAppender(directory, mailboxes);
        this.mailboxes = mailboxes;
    }

    /**
     * Delivers the copies reached through these RCPT addresses to the account's {@code \Junk} mailbox instead of
     * INBOX (recreated if the user deleted it). An account reached through several recipients follows the
     * first of them.
     */
    public LocalDelivery toJunk(Set<String> recipients) {
        this.junkRecipients = Set.copyOf(recipients);
        return this;
    }

    public List<AppendedMessage> deliver(List<Recipient> recipients, Envelope envelope, boolean authenticated,
                                         StoredMessage message, Instant now) {
        return deliver(recipients, envelope, authenticated, message, Map.of(), now);
    }

    /**
     * @param accepted resolutions already made for some of the addresses (at RCPT, in this SMTP transaction);
     *                 the rest are resolved here
     */
    public List<AppendedMessage> deliver(List<Recipient> recipients, Envelope envelope, boolean authenticated,
                                         StoredMessage message, Map<String, ResolvedRecipient> accepted,
                                         Instant now) {
        // target account → the envelope of the first recipient that reached it
        Map<LocalTarget, DeliveryEnvelope> targets = new TreeMap<>(BY_ACCOUNT);
        Set<Long> junkAccounts = new HashSet<>();
        for (Recipient recipient : recipients) {
            ResolvedRecipient resolved = accepted.get(recipient.address());
            if (resolved == null) {
                resolved = resolver.resolve(recipient.address(), authenticated);
            }
            DeliveryEnvelope copy = new DeliveryEnvelope(envelope.reversePath(), resolved.address(),
                    recipient.dsnNotify(), recipient.orcpt(), envelope.dsnRet(), envelope.dsnEnvId());
            for (LocalTarget target : resolved.local()) {
                if (targets.putIfAbsent(target, copy) == null && junkRecipients.contains(recipient.address())) {
                    junkAccounts.add(target.accountId());
                }
            }
            for (String remote : resolved.remote()) {
                forwards.add(new RemoteForwarding.Forward(recipient, resolved.address(), remote));
            }
        }
        List<AppendedMessage> appended = new ArrayList<>(targets.size());
        if (targets.isEmpty()) {
            return appended;
        }
        BlobEntity blob = appender.referenceBlobForDelivery(message, targets.size(), now);
        for (Map.Entry<LocalTarget, DeliveryEnvelope> target : targets.entrySet()) {
            String mailbox = junkAccounts.contains(target.getKey().accountId())
                    ? MailboxProvisioner.junkMailbox(mailboxes, target.getKey().accountId()) : MailboxAppender.INBOX;
            appended.add(appender.deliver(target.getKey(), mailbox, blob, message, target.getValue(), now));
        }
        return appended;
    }

    /**
     * The remote addresses that aliases and groups of the delivered recipients point to (not stored here: the
     * caller forwards them through the outbound queue, see {@link RemoteForwarding}).
     */
    public List<RemoteForwarding.Forward> forwards() {
        return List.copyOf(forwards);
    }

    /** The RCPT-time judgement: resolvable and, with the declared SIZE, within every target's quota. */
    public ResolvedRecipient check(String address, boolean authenticated, long declaredSize) {
        ResolvedRecipient resolved = resolver.resolve(address, authenticated);
        for (LocalTarget target : resolved.local()) {
            directory.findAccount(target.address()).ifPresent(a -> QuotaPolicy.check(a, declaredSize));
        }
        return resolved;
    }
}
