package org.merpati.ejb.service;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.HashMap;
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
import org.merpati.ejb.mailauth.inbound.InboundAuthentication;
import org.merpati.ejb.mailauth.inbound.InboundAuthenticator;
import org.merpati.ejb.mailauth.inbound.InboundDisposition;
import org.merpati.ejb.mailauth.inbound.InboundVerdict;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.platform.StorageReadiness;
import org.merpati.ejb.storage.blob.BlobStore;

/**
 * The one way a message enters a mailbox. Order of work: the spool is copied (with trace fields) into the
 * blob store and fsynced, outside any transaction; only then are rows inserted, in one transaction for SMTP
 * or one per recipient for LMTP. So a committed row always has its blob; a rolled-back delivery may leave an
 * unreferenced blob file behind, which is harmless and left to a collector.
 *
 * <p>Mail received on the MX port (SMTP mode, not authenticated) is authenticated first, outside any
 * transaction (SPF, DKIM, ARC, DMARC; see {@link InboundAuthenticator}): its Authentication-Results field goes on
 * top of the trace fields, forged ones claiming our authserv-id are left out of the stored copy, and the DMARC
 * policy is applied per recipient domain ({@link InboundDisposition}: 550 5.7.1, Junk, or INBOX).
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

    /**
     * Only the syntax of the sender is judged here (on the MX port SPF runs after DATA, with DKIM and DMARC); the
     * null sender is fine.
     */
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
        // inbound authentication (MX port only): before any transaction, since DNS is slow
        InboundAuthenticator authenticator = null;
        InboundVerdict verdict = null;
        InboundDisposition disposition = InboundDisposition.DELIVER;
        if (mode == Mode.SMTP && !session.isAuthenticated()) {
            try {
                authenticator = InboundAuthentication.authenticator(); // null when MERPATI_MAIL_AUTH=false
                if (authenticator != null) {
                    verdict = authenticator.authenticate(session.clientAddress(), session.heloName(),
                            envelope.reversePath(), spool);
                    disposition = dispose(verdict, envelope);
                }
            } catch (RuntimeException e) {
                // never lose mail to our own failure: deliver, with whatever results there are
                LOG.errorf(e, "Authentication of session %s failed; delivering without results", session.sessionId());
            }
            if (disposition.reply() != null) {
                LOG.infof("Message of session %s refused: %s (%s)", session.sessionId(), disposition.reply(),
                        verdict.resultsValue());
                return Collections.nCopies(count, disposition.reply());
            }
        }
        StoredMessage message = null;
        try {
            String forClause = count == 1 ? envelope.recipients().get(0).address() : null;
            byte[] trace = TraceHeaders.build(session, envelope.reversePath(), forClause, config.hostname(), id,
                    ZonedDateTime.now());
            BlobStore blobs = new BlobStore(config.blobDir());
            if (authenticator == null) {
                message = new MessageIngest(blobs).store(trace, spool);
            } else {
                byte[] results = verdict == null ? new byte[0] : verdict.field().getBytes(StandardCharsets.UTF_8);
                // our Authentication-Results on top; forged ones claiming our authserv-id left out of the copy
                try (InputStream content = new SequenceInputStream(new ByteArrayInputStream(withResults(trace, results)),
                        authenticator.withoutForgedResults(Files.newInputStream(spool)))) {
                    message = new MessageIngest(blobs).store(content);
                }
            }
            // the index terms are read now, before the transaction locks the account and mailbox rows
            message = message.withIndexText(message.blob().readable());
        } catch (IOException | RuntimeException e) {
            if (message != null) {
                message.blob().discardCopy();
            }
            LOG.errorf(e, "Could not store message of session %s", session.sessionId());
            return Collections.nCopies(count, SmtpReplies.localError());
        }
        try {
            return deliverStored(session, envelope, mode, count, id, message, disposition);
        } finally {
            message.blob().discardCopy(); // every transaction that referenced the blob is over
        }
    }

    private List<Reply> deliverStored(SessionInfo session, Envelope envelope, Mode mode, int count, String id,
                                      StoredMessage message, InboundDisposition disposition) {
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
                        message, accepted, disposition.junkRecipients());
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

    /** The verdict applied to this transaction's recipients, reading their domains' enforcement only when needed. */
    private InboundDisposition dispose(InboundVerdict verdict, Envelope envelope) {
        List<String> recipients = new ArrayList<>(envelope.recipients().size());
        for (Recipient recipient : envelope.recipients()) {
            recipients.add(recipient.address());
        }
        Set<String> domains = InboundDisposition.domainsToLookUp(verdict, recipients);
        Map<String, String> enforcement = domains.isEmpty() ? Map.of() : transactions.dmarcEnforcement(domains);
        return InboundDisposition.decide(verdict, recipients, enforcement);
    }

    /**
     * Our Authentication-Results below the Return-Path (which final delivery puts first, RFC 5321 section 4.4)
     * and above the Received field: RFC 8601 section 2.1 wants it on top of the fields it judged.
     */
    static byte[] withResults(byte[] trace, byte[] results) {
        String text = new String(trace, StandardCharsets.ISO_8859_1);
        if (!text.regionMatches(true, 0, "Return-Path:", 0, 12)) {
            return concat(results, trace);
        }
        int end = text.indexOf("\r\n") + 2;
        byte[] returnPath = Arrays.copyOf(trace, end);
        return concat(concat(returnPath, results), Arrays.copyOfRange(trace, end, trace.length));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
