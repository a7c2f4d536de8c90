package org.merpati.ejb.submission;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.connector.api.Reply;
import org.merpati.connector.api.SessionInfo;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.mailauth.MessageSigning;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.StorageReadiness;
import org.merpati.ejb.service.AcceptedRecipients;
import org.merpati.ejb.service.DeliveryTransactions;
import org.merpati.ejb.service.MessageIngest;
import org.merpati.ejb.service.ResolvedRecipient;
import org.merpati.ejb.service.SmtpReplies;
import org.merpati.ejb.service.StoredMessage;
import org.merpati.ejb.service.TraceHeaders;
import org.merpati.ejb.storage.blob.BlobStore;

/**
 * What the submission listeners (ports 587 and 465) delegate to. Every call acts for
 * {@code session.authenticatedUser()}: MAIL FROM and the {@code From:}/{@code Sender:} fields must be addresses
 * the account may send as ({@link SenderOwnership}); local recipients must exist; remote ones are queued.
 *
 * <p>{@link #deliver} prepares the final message outside any transaction (header fix-ups, trace field, DKIM;
 * {@link MessagePreparation}), writes the local copy's blob, then stores the local copies and queues the remote
 * recipients in one transaction ({@link SubmissionTransactions#deliver}); {@code 250} is answered only after it
 * committed. Never throws to the listener except from {@link #authenticate}, whose contract is to throw when
 * the directory cannot decide.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SubmissionService {

    private static final Logger LOG = Logger.getLogger(SubmissionService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    @EJB
    private SubmissionTransactions transactions;

    @EJB
    private DeliveryTransactions delivery;

    @EJB
    private MessageSigning signing;

    private final MerpatiConfig config = MerpatiConfig.current();

    /** Per-node limits, shared by every instance of this bean. */
    private static final class Limits {
        static final SubmissionSettings SETTINGS = SubmissionSettings.from(MerpatiConfig.current());
        static final SubmissionRateLimiter RATES = new SubmissionRateLimiter(SETTINGS.perSenderPerHour(),
                SETTINGS.perDomainPerHour(), System::nanoTime);
    }

    /**
     * The directory's password check; the authorization identity, when given, must name the same account.
     *
     * @return the canonical account address, or null when the credentials are wrong
     * @throws IllegalStateException when storage is not ready (the session answers 454 4.7.0)
     */
    public String authenticate(SessionInfo session, String authzid, String authcid, String password) {
        if (!StorageReadiness.isReady()) {
            throw new IllegalStateException("Storage is not ready");
        }
        String account = transactions.authenticate(authzid, authcid, password);
        if (account == null) {
            LOG.infof("Submission AUTH failed for %s from %s (session %s)", authcid, session.clientAddress(),
                    session.sessionId());
        }
        return account;
    }

    /** MAIL FROM: null to accept, else the refusal. */
    public Reply checkSender(SessionInfo session, String reversePath) {
        if (!StorageReadiness.isReady()) {
            return SmtpReplies.notReady();
        }
        String user = session.authenticatedUser();
        if (user == null) {
            return SubmissionReplies.authenticationRequired();
        }
        if (reversePath == null || reversePath.isEmpty()) {
            return SubmissionReplies.nullSender();
        }
        try {
            MailAddress.parse(reversePath);
        } catch (MailException e) {
            return SubmissionReplies.badSenderSyntax(e.getMessage());
        }
        try {
            if (transactions.firstForeign(user, List.of(reversePath)) != null) {
                LOG.infof("Submission MAIL FROM %s refused for %s (session %s)", reversePath, user,
                        session.sessionId());
                return SubmissionReplies.senderNotOwned(user);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "MAIL FROM %s failed in session %s", reversePath, session.sessionId());
            return SmtpReplies.localError();
        }
        if (!Limits.RATES.senderHasCapacity(user)) {
            return SubmissionReplies.senderRateLimited(user);
        }
        return null;
    }

    /** RCPT TO: null to accept, else the refusal. Local recipients must exist; remote ones are accepted. */
    public Reply checkRecipient(SessionInfo session, Recipient recipient, long declaredSize) {
        if (!StorageReadiness.isReady()) {
            return SmtpReplies.notReady();
        }
        if (session.authenticatedUser() == null) {
            return SubmissionReplies.authenticationRequired();
        }
        try {
            MailAddress address = MailAddress.parse(recipient.address());
            if (address.isIpLiteral()) {
                return SubmissionReplies.addressLiteral();
            }
            if (address.routingTrick().isPresent()) {
                return SubmissionReplies.routingTrick(address.routingTrick().get());
            }
            if (transactions.localDomains(List.of(address.domain())).isEmpty()) {
                return Limits.RATES.domainHasCapacity(address.domain()) ? null
                        : SubmissionReplies.domainRateLimited(address.domain());
            }
            ResolvedRecipient resolved = delivery.check(recipient.address(), true, declaredSize);
            AcceptedRecipients.remember(session.sessionId(), true, recipient.address(), resolved);
            return null;
        } catch (MailException e) {
            LOG.debugf("Submission RCPT %s refused in session %s: %s", recipient.address(), session.sessionId(),
                    e.getMessage());
            return SmtpReplies.of(e, config.overQuotaReplyCode());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Submission RCPT %s failed in session %s", recipient.address(), session.sessionId());
            return SmtpReplies.localError();
        }
    }

    /** One reply per recipient, all the same: one transaction stores and queues everything or nothing. */
    public List<Reply> deliver(SessionInfo session, Envelope envelope, Path spool, long size) {
        int count = envelope.recipients().size();
        if (!StorageReadiness.isReady()) {
            return Collections.nCopies(count, SmtpReplies.notReady());
        }
        String user = session.authenticatedUser();
        if (user == null) {
            return Collections.nCopies(count, SubmissionReplies.authenticationRequired());
        }
        return Collections.nCopies(count, submit(session, user, envelope, spool));
    }

    private Reply submit(SessionInfo session, String user, Envelope envelope, Path spool) {
        String id = newId();
        SubmissionRateLimiter.Permit permit = null;
        MessagePreparation.Prepared prepared = null;
        StoredMessage message = null;
        try {
            Map<String, String> domainOf = new HashMap<>();
            for (Recipient r : envelope.recipients()) {
                domainOf.put(r.address(), MailAddress.parse(r.address()).domain());
            }
            Set<String> localDomains = transactions.localDomains(new LinkedHashSet<>(domainOf.values()));
            List<Recipient> local = new ArrayList<>();
            List<Recipient> remote = new ArrayList<>();
            Set<String> remoteDomains = new LinkedHashSet<>();
            Map<String, ResolvedRecipient> accepted = new HashMap<>();
            for (Recipient r : envelope.recipients()) {
                String domain = domainOf.get(r.address());
                if (localDomains.contains(domain)) {
                    local.add(r);
                    ResolvedRecipient resolved = AcceptedRecipients.take(session.sessionId(), true, r.address());
                    if (resolved != null) {
                        accepted.put(r.address(), resolved);
                    }
                } else {
                    remote.add(r);
                    remoteDomains.add(domain);
                }
            }

            permit = Limits.RATES.acquire(user, remoteDomains);
            if (permit == null) {
                return Limits.RATES.senderHasCapacity(user) ? SubmissionReplies.domainRateLimited(
                        remoteDomains.stream().filter(d -> !Limits.RATES.domainHasCapacity(d)).findFirst()
                                .orElse("a recipient domain")) : SubmissionReplies.senderRateLimited(user);
            }

            // the limits are judged before the expensive part (copy, DKIM), and given back if it fails
            prepared = new MessagePreparation(Limits.SETTINGS, signing).prepare(session, id, spool,
                    addresses -> transactions.firstForeign(user, addresses), config.dataDir().resolve("submission"),
                    ZonedDateTime.now());

            if (!local.isEmpty()) {
                BlobStore blobs = new BlobStore(config.blobDir());
                message = new MessageIngest(blobs).store(TraceHeaders.returnPath(envelope.reversePath()),
                        prepared.file());
                // the index terms are read now, before the transaction locks the account and mailbox rows
                message = message.withIndexText(message.blob().readable());
            }
            long queueId = transactions.deliver(envelope, local, accepted, message, remote, prepared.file(),
                    prepared.size());
            permit = null; // spent
            LOG.infof("Submitted %s by %s (%d bytes): %d local, %d remote recipient(s)%s", id, user,
                    prepared.size(), local.size(), remote.size(), queueId < 0 ? "" : ", queue id " + queueId);
            return Reply.ok("2.0.0", "Ok: queued as " + id);
        } catch (MessagePreparation.Refused e) {
            LOG.infof("Submission %s by %s refused: %s", id, user, e.reply());
            return e.reply();
        } catch (MailException e) {
            Reply reply = SmtpReplies.of(e, config.overQuotaReplyCode());
            LOG.infof("Submission %s by %s refused: %s", id, user, reply);
            return reply;
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "Submission %s by %s failed", id, user);
            return SmtpReplies.localError();
        } finally {
            if (message != null) {
                message.blob().discardCopy(); // the transaction that referenced the blob is over
            }
            Limits.RATES.release(permit);
            if (prepared != null) {
                try {
                    Files.deleteIfExists(prepared.file());
                } catch (IOException e) {
                    LOG.warnf("Could not delete work file %s: %s", prepared.file(), e);
                }
            }
        }
    }

    private static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
