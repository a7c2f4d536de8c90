package org.merpati.ejb.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.ejb.api.QueuedMessageView;
import org.merpati.ejb.api.QueuedRecipientView;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;
import org.merpati.ejb.outbound.dsn.DsnBuilder;
import org.merpati.ejb.outbound.dsn.DsnRecipient;
import org.merpati.ejb.outbound.dsn.DsnReport;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.service.AppendedMessage;
import org.merpati.ejb.service.LocalDelivery;
import org.merpati.ejb.service.MessageIngest;
import org.merpati.ejb.service.StoredMessage;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.blob.StoredBlob;
import org.merpati.ejb.storage.jpa.DirectoryRepository;
import org.merpati.ejb.storage.jpa.MailboxRepository;
import org.merpati.ejb.storage.jpa.OutboundMessageEntity;
import org.merpati.ejb.storage.jpa.OutboundRecipientEntity;
import org.merpati.ejb.storage.jpa.OutboundRecipientEntity.State;
import org.merpati.ejb.storage.jpa.OutboundRepository;
import org.merpati.ejb.storage.jpa.OutboundRepository.Trigger;

/**
 * The storage half of the outbound queue: every step of a queued message's life as work inside the caller's
 * transaction (the EJBs draw the boundaries; the contract tests run the same code on resource-local
 * transactions). Network I/O never happens here.
 *
 * <p>Life of a message: {@link #enqueue} (rows QUEUED at generation 0, one trigger per domain) → {@link #claim}
 * (short transaction: SENDING, generation + 1, lease) → the attempt, outside any transaction → {@link #record}
 * (short transaction: outcomes, the next trigger, the DSN) → when no recipient is pending, the rows go and the blob
 * reference is released. Delivered and failed rows are not kept: the log has one line per outcome.
 *
 * <p>DSNs go through the one delivery path: to the sender's mailbox when the sender's domain is ours, else back into
 * this queue with the null sender. Both happen in the recording transaction, so an outcome is recorded if and
 * only if its DSN is stored. A DSN that cannot be delivered locally (unknown or over-quota sender) is logged and
 * dropped, as a double bounce; the blob reference such a refused local delivery may have taken is left counted (the
 * file is then kept, never lost).
 */
public final class QueueStore {

    private static final Logger LOG = Logger.getLogger(QueueStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A trigger may fire a little before next_attempt_at (clocks of cluster nodes differ). */
    static final Duration EARLY_TOLERANCE = Duration.ofMinutes(1);

    /** What an attempt works on. */
    public record Claim(QueuedMessage message, String domain, List<QueuedRecipient> recipients) {
    }

    /** What recording changed. */
    public record Recorded(int applied, List<AppendedMessage> dsnDeliveries, boolean finished) {
    }

    private final OutboundRepository queue;
    private final DirectoryRepository directory;
    private final MailboxRepository mailboxes;
    private final BlobStore blobs;
    private final TriggerSink triggers;
    private final MerpatiConfig config;
    private final OutboundSettings settings;

    public QueueStore(jakarta.persistence.EntityManager em, BlobStore blobs, TriggerSink triggers,
                      MerpatiConfig config, OutboundSettings settings) {
        this.queue = new OutboundRepository(em);
        this.directory = new DirectoryRepository(em);
        this.mailboxes = new MailboxRepository(em);
        this.blobs = blobs;
        this.triggers = triggers;
        this.config = config;
        this.settings = settings;
    }

    // ---- enqueue ----

    /** Copies the message into the blob store and queues it (see {@link OutboundQueue#enqueue}). */
    public long enqueue(Envelope envelope, List<Recipient> recipients, Path message, long size, Instant now)
            throws IOException {
        StoredBlob blob;
        try (InputStream in = Files.newInputStream(message)) {
            blob = blobs.write(in);
        }
        try {
            return enqueueStored(envelope, recipients, blob, now);
        } finally {
            blob.discardCopy(); // the row is locked (or the transaction failed): the copy is no longer needed
        }
    }

    /**
     * Queues a message already in the blob store. With the blob row locked, the file is put back from the
     * blob's private copy if a collector removed it (see {@link BlobStore#ensurePlaced}).
     */
    public long enqueueStored(Envelope envelope, List<Recipient> recipients, StoredBlob blob, Instant now) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("nothing to queue: no recipients");
        }
        // domains first: a malformed address fails before anything is written
        Map<Recipient, String> domains = new LinkedHashMap<>();
        for (Recipient r : recipients) {
            domains.put(r, MailAddress.parse(r.address()).domain());
        }
        OutboundMessageEntity row = queue.insertMessage(new OutboundMessageEntity(blob.id(), envelope.reversePath(),
                envelope.bodyType(), envelope.smtpUtf8(), envelope.dsnRet(), envelope.dsnEnvId(), blob.size(), now,
                now.plus(settings.maxAge())));
        if (blob.file() != null) {
            try {
                if (BlobStore.containing(blob).ensurePlaced(blob)) {
                    LOG.infof("Blob %s was collected before the queue locked its row: put back", blob.id());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("blob " + blob.id() + " is missing", e);
            }
        }
        Set<String> seen = new HashSet<>();
        List<Trigger> initial = new ArrayList<>();
        for (Map.Entry<Recipient, String> e : domains.entrySet()) {
            Recipient r = e.getKey();
            queue.insertRecipient(new OutboundRecipientEntity(row.getId(), r.address(), e.getValue(), r.dsnNotify(),
                    r.orcpt(), now));
            if (seen.add(e.getValue())) {
                initial.add(new Trigger(row.getId(), e.getValue(), 0));
            }
        }
        queue.entityManager().flush();
        triggers.send(initial, Duration.ZERO);
        LOG.infof("Queued outbound %d from <%s> (%d bytes) for %d recipient(s) in %d domain(s)", row.getId(),
                DsnBuilder.clean(envelope.reversePath()), blob.size(), domains.size(), initial.size());
        return row.getId();
    }

    // ---- an attempt ----

    /** Claims what the trigger points to, if it is current and due; empty: ignore the trigger. */
    public Optional<Claim> claim(Trigger trigger, Instant now) {
        List<OutboundRecipientEntity> claimed = queue.claim(trigger, now.plus(EARLY_TOLERANCE), now,
                now.plus(settings.lease()));
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        Optional<OutboundMessageEntity> message = queue.findMessage(trigger.messageId());
        if (message.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Claim(QueuedMessage.of(message.get()), trigger.domain(),
                claimed.stream().map(QueuedRecipient::of).toList()));
    }

    /** The attempt a claim asks for (the message file is read in place from the blob store). */
    public static OutboundAttempt attemptOf(Claim claim, BlobStore blobs) {
        QueuedMessage m = claim.message();
        return new OutboundAttempt(claim.domain(), m.reversePath(),
                claim.recipients().stream().map(QueuedRecipient::toRecipient).toList(), blobs.pathOf(m.blobId()),
                m.size(), m.bodyType(), m.smtpUtf8(), m.dsnRet(), m.dsnEnvId());
    }

    /**
     * Records an attempt's plan: each update only where the row is still as claimed; the next trigger (delayed)
     * for the recipients left QUEUED; one DSN for the recipients the plan reports on; and the end of the message
     * when nothing is pending any more.
     */
    public Recorded record(QueuedMessage message, String domain, AttemptPlan plan, Instant now) throws IOException {
        if (queue.lockMessage(message.id()).isEmpty()) {
            LOG.infof("Outbound %d was removed from the queue during an attempt for %s: its results are dropped",
                    message.id(), domain);
            return new Recorded(0, List.of(), true);
        }
        Set<String> applied = new HashSet<>();
        boolean requeued = false;
        for (AttemptPlan.Update u : plan.updates()) {
            if (queue.recordOutcome(u.recipientId(), u.claimedGeneration(), u.state(), u.newGeneration(),
                    u.nextAttemptAt(), u.status(), u.error(), u.remoteMta(), u.delayNotified())) {
                applied.add(u.address());
                requeued |= u.state() == State.QUEUED;
                LOG.infof("Outbound %d to <%s>: %s, status %s, %s%s", message.id(), DsnBuilder.clean(u.address()),
                        describe(u.state()), u.status(), DsnBuilder.clean(u.error()),
                        u.state() == State.QUEUED ? ", next attempt " + u.nextAttemptAt() : "");
            } else {
                LOG.infof("Outbound %d to <%s>: changed during the attempt (administrator?), result %s dropped",
                        message.id(), DsnBuilder.clean(u.address()), u.state());
            }
        }
        if (requeued && plan.nextAttempt() != null) {
            triggers.send(List.of(new Trigger(message.id(), domain, plan.nextGeneration())),
                    Duration.between(now, plan.nextAttempt()));
        }
        List<DsnRecipient> dsn = plan.dsn().stream().filter(r -> applied.contains(r.address())).toList();
        List<AppendedMessage> delivered = sendDsn(message, dsn, now);
        boolean finished = queue.finishIfDone(message.id());
        if (finished) {
            LOG.infof("Outbound %d finished: removed from the queue", message.id());
        }
        return new Recorded(applied.size(), delivered, finished);
    }

    private static String describe(State state) {
        return switch (state) {
            case QUEUED -> "deferred";
            case DELIVERED -> "delivered";
            case FAILED -> "bounced";
            case EXPIRED -> "expired";
            default -> state.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    // ---- the sweeper ----

    /**
     * Sends a new trigger for every group that is more than the grace period past its time: QUEUED recipients
     * whose trigger was lost (a crash between the database commit and the broker's, or a dead-lettered trigger),
     * and SENDING recipients whose attempt died (their lease is over; they go back to QUEUED at a new generation).
     *
     * @return the triggers sent
     */
    public List<Trigger> sweep(Instant now, int limit) {
        Instant before = now.minus(settings.sweepGrace());
        List<Trigger> sent = new ArrayList<>();
        for (Trigger dead : queue.overdue(State.SENDING, before, limit)) {
            queue.requeue(dead, State.SENDING, now).ifPresent(sent::add);
        }
        sent.addAll(queue.overdue(State.QUEUED, before, Math.max(0, limit - sent.size())));
        triggers.send(sent, Duration.ZERO);
        if (!sent.isEmpty()) {
            LOG.infof("Queue sweep: %d overdue delivery group(s) triggered again", sent.size());
        }
        return sent;
    }

    // ---- administration ----

    public List<QueuedMessageView> list(int offset, int limit) {
        List<OutboundMessageEntity> messages = queue.listMessages(offset, limit);
        Map<Long, List<QueuedRecipientView>> recipients = new LinkedHashMap<>();
        for (OutboundMessageEntity m : messages) {
            recipients.put(m.getId(), new ArrayList<>());
        }
        for (OutboundRecipientEntity r : queue.recipientsOf(recipients.keySet())) {
            recipients.get(r.getMessageId()).add(new QueuedRecipientView(r.getAddress(), r.getState().name(),
                    r.getAttempts(), r.getState().isPending() ? r.getNextAttemptAt() : null, r.getLastAttemptAt(),
                    r.getLastStatus(), r.getLastError()));
        }
        return messages.stream().map(m -> new QueuedMessageView(m.getId(), m.getReversePath(), m.getSizeBytes(),
                m.getCreatedAt(), m.getExpiresAt(), recipients.get(m.getId()))).toList();
    }

    public int retry(long messageId, Instant now) {
        lockOrNotFound(messageId);
        List<Trigger> due = queue.retryNow(messageId, now);
        triggers.send(due, Duration.ZERO);
        int count = (int) queue.pendingRecipients(messageId).stream()
                .filter(r -> r.getState() == State.QUEUED).count();
        LOG.infof("Outbound %d: retry requested by the administrator (%d recipient(s))", messageId, count);
        return count;
    }

    /**
     * Every recipient waiting for a retry is due now (like Postfix's {@code postqueue -f}), e.g. after an outage
     * was fixed; at most {@code limit} messages per call.
     *
     * @return the number of messages triggered
     */
    public int flush(Instant now, int limit) {
        int messages = 0;
        for (long messageId : queue.messagesWaiting(limit)) {
            if (queue.lockMessage(messageId).isPresent()) {
                triggers.send(queue.retryNow(messageId, now), Duration.ZERO);
                messages++;
            }
        }
        LOG.infof("Outbound queue flushed by the administrator (%d message(s))", messages);
        return messages;
    }

    public void delete(long messageId) {
        lockOrNotFound(messageId);
        queue.deleteMessage(messageId);
        LOG.infof("Outbound %d deleted by the administrator (no DSN)", messageId);
    }

    /** @return how many recipients were failed, and the local delivery of the DSN if there was one */
    public Recorded bounce(long messageId, AttemptPlanner planner, Instant now) throws IOException {
        OutboundMessageEntity row = lockOrNotFound(messageId);
        QueuedMessage message = QueuedMessage.of(row);
        List<QueuedRecipient> pending = queue.pendingRecipients(messageId).stream().map(QueuedRecipient::of).toList();
        AttemptPlan plan = planner.bounce(message, pending, now);
        Set<String> applied = new HashSet<>();
        for (AttemptPlan.Update u : plan.updates()) {
            if (queue.endPending(u.recipientId(), u.claimedGeneration(), State.FAILED, u.status(), u.error(), now)) {
                applied.add(u.address());
            }
        }
        List<AppendedMessage> delivered = sendDsn(message,
                plan.dsn().stream().filter(r -> applied.contains(r.address())).toList(), now);
        boolean finished = queue.finishIfDone(messageId);
        LOG.infof("Outbound %d bounced by the administrator (%d recipient(s))", messageId, applied.size());
        return new Recorded(applied.size(), delivered, finished);
    }

    private OutboundMessageEntity lockOrNotFound(long messageId) {
        return queue.lockMessage(messageId).orElseThrow(() -> new MailException(MailError.NOT_FOUND,
                "No queued message " + messageId));
    }

    // ---- DSNs ----

    /**
     * Builds one DSN for {@code entries} and delivers it to the sender: into the local mailbox when the sender's
     * domain is ours, else through this queue with the null sender.
     *
     * @return the local deliveries made (for change notifications)
     */
    List<AppendedMessage> sendDsn(QueuedMessage message, List<DsnRecipient> entries, Instant now)
            throws IOException {
        if (entries.isEmpty() || message.isNullSender()) {
            return List.of();
        }
        String sender = message.reversePath();
        MailAddress senderAddress;
        try {
            senderAddress = MailAddress.parse(sender);
        } catch (MailException e) {
            LOG.warnf("Outbound %d: no DSN, the sender <%s> is not an address", message.id(), DsnBuilder.clean(sender));
            return List.of();
        }
        ZoneId zone = ZoneId.systemDefault();
        DsnReport report = new DsnReport(config.hostname(), config.primaryDomain(), sender,
                message.createdAt().atZone(zone), message.dsnEnvId(), "FULL".equalsIgnoreCase(message.dsnRet()),
                entries, now.atZone(zone), newMessageId());
        Path tempDir = Files.createDirectories(blobs.root().resolve("tmp"));
        Path dsn = Files.createTempFile(tempDir, "dsn-", ".eml");
        try {
            boolean eightBit = message.smtpUtf8() || !"7BIT".equalsIgnoreCase(message.bodyType());
            boolean binary = "BINARYMIME".equalsIgnoreCase(message.bodyType());
            try (InputStream original = blobs.open(message.blobId()); OutputStream out = Files.newOutputStream(dsn)) {
                new DsnBuilder(settings.dsnReturnLimit()).write(report, original, message.size(), eightBit, binary,
                        out, DsnBuilder.newBoundary());
            }
            boolean utf8 = message.smtpUtf8() || sender.chars().anyMatch(c -> c >= 0x80);
            Recipient to = new Recipient(sender, "NEVER", null);
            Envelope envelope = new Envelope("", List.of(to), eightBit ? "8BITMIME" : "7BIT", utf8, null, null, -1);
            if (directory.findDomain(senderAddress.domain()).isPresent()) {
                StoredMessage stored = new MessageIngest(blobs).store(
                        "Return-Path: <>\r\n".getBytes(StandardCharsets.US_ASCII), dsn);
                try {
                    List<AppendedMessage> appended = new LocalDelivery(directory, mailboxes)
                            .deliver(List.of(to), envelope, false, stored, now);
                    LOG.infof("Outbound %d: DSN (%s) delivered to <%s>", message.id(), DsnBuilder.subjectOf(report),
                            DsnBuilder.clean(sender));
                    return appended;
                } catch (MailException e) {
                    LOG.warnf("Outbound %d: DSN to local sender <%s> not deliverable (%s): dropped", message.id(),
                            DsnBuilder.clean(sender), e.getMessage());
                    return List.of();
                } finally {
                    stored.blob().discardCopy();
                }
            }
            long id = enqueue(envelope, List.of(to), dsn, Files.size(dsn), now);
            LOG.infof("Outbound %d: DSN (%s) to remote sender <%s> queued as outbound %d", message.id(),
                    DsnBuilder.subjectOf(report), DsnBuilder.clean(sender), id);
            return List.of();
        } finally {
            Files.deleteIfExists(dsn);
        }
    }

    private String newMessageId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b) + ".dsn@" + config.hostname();
    }
}
