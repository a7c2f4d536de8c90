package org.merpati.ejb.service;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.connector.api.Reply;
import org.merpati.connector.api.SessionInfo;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.StorageReadiness;
import org.merpati.ejb.storage.blob.BlobStore;

/**
 * The one way a message enters a mailbox. Order of work: the spool is copied (with trace fields) into the
 * blob store and fsynced, outside any transaction; only then are rows inserted, in one transaction for SMTP
 * or one per recipient for LMTP. So a committed row always has its blob; a rolled-back delivery may leave an
 * unreferenced blob file behind, which is harmless and left to a collector.
 *
 * <p>Never throws to the listener: domain failures become their SMTP reply, anything else 451 4.3.0, and
 * calls before the schema is ready 451 4.3.2.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DeliveryService {

    /** Whether the listener replies once per transaction (SMTP) or once per recipient (LMTP). */
    public enum Mode { SMTP, LMTP }

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    @EJB
    private DeliveryTransactions transactions;

    private final MerpatiConfig config = MerpatiConfig.current();

    /** Senders are not judged yet beyond syntax (SPF and friends come later); the null sender is fine. */
    public Reply checkSender(SessionInfo session, String reversePath) {
        if (reversePath == null || reversePath.isEmpty()) {
            return null;
        }
        try {
            MailAddress.parse(reversePath);
            return null;
        } catch (MailException e) {
            return new Reply(501, "5.1.7", e.getMessage());
        }
    }

    public Reply checkRecipient(SessionInfo session, Recipient recipient, long declaredSize) {
        if (!StorageReadiness.isReady()) {
            return SmtpReplies.notReady();
        }
        try {
            ResolvedRecipient resolved = transactions.check(recipient.address(), session.isAuthenticated(),
                    declaredSize);
            AcceptedRecipients.remember(session.sessionId(), session.isAuthenticated(), recipient.address(),
                    resolved);
            return null;
        } catch (MailException e) {
            LOG.debugf("RCPT %s refused in session %s: %s", recipient.address(), session.sessionId(), e.getMessage());
            return SmtpReplies.of(e, config.overQuotaReplyCode());
        } catch (RuntimeException e) {
            LOG.errorf(e, "RCPT %s failed in session %s", recipient.address(), session.sessionId());
            return SmtpReplies.localError();
        }
    }

    public List<Reply> deliver(SessionInfo session, Envelope envelope, Path spool, long size, Mode mode) {
        int count = envelope.recipients().size();
        if (!StorageReadiness.isReady()) {
            return Collections.nCopies(count, SmtpReplies.notReady());
        }
        String id = HexFormat.of().formatHex(randomBytes());
        StoredMessage message;
        try {
            String forClause = count == 1 ? envelope.recipients().get(0).address() : null;
            byte[] trace = TraceHeaders.build(session, envelope.reversePath(), forClause, config.hostname(), id,
                    ZonedDateTime.now());
            BlobStore blobs = new BlobStore(config.blobDir());
            message = new MessageIngest(blobs).store(trace, spool);
            // the index terms are read now, before the transaction locks the account and mailbox rows
            message = message.withIndexText(blobs.pathOf(message.blob().id()));
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "Could not store message of session %s", session.sessionId());
            return Collections.nCopies(count, SmtpReplies.localError());
        }
        boolean authenticated = session.isAuthenticated();
        Map<String, ResolvedRecipient> accepted = new HashMap<>();
        for (Recipient recipient : envelope.recipients()) {
            ResolvedRecipient resolved = AcceptedRecipients.take(session.sessionId(), authenticated,
                    recipient.address());
            if (resolved != null) {
                accepted.put(recipient.address(), resolved);
            }
        }
        if (mode == Mode.SMTP) {
            Reply reply;
            try {
                List<AppendedMessage> stored = transactions.deliverAll(envelope.recipients(), envelope, authenticated,
                        message, accepted);
                LOG.infof("Delivered %s (id %s, %d bytes) to %d mailbox(es)", message.blob().id(), id,
                        message.blob().size(), stored.size());
                reply = Reply.ok("2.0.0", "Ok: queued as " + id);
            } catch (MailException e) {
                reply = SmtpReplies.of(e, config.overQuotaReplyCode());
                LOG.infof("Delivery %s refused: %s", id, reply);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Delivery %s failed", id);
                reply = SmtpReplies.localError();
            }
            return Collections.nCopies(count, reply);
        }
        List<Reply> replies = new ArrayList<>(count);
        for (Recipient recipient : envelope.recipients()) {
            try {
                transactions.deliverOne(recipient, envelope, authenticated, message, accepted);
                replies.add(Reply.ok("2.0.0", "Ok: delivered as " + id));
            } catch (MailException e) {
                replies.add(SmtpReplies.of(e, config.overQuotaReplyCode()));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Delivery %s to %s failed", id, recipient.address());
                replies.add(SmtpReplies.localError());
            }
        }
        return replies;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
