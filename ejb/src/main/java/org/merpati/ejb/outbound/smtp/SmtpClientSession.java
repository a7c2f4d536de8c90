package org.merpati.ejb.outbound.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

import javax.net.ssl.SSLContext;

import org.jboss.logging.Logger;
import org.merpati.ejb.outbound.OutboundAttempt;
import org.merpati.ejb.outbound.RecipientOutcome.Status;

/**
 * The client's side of one SMTP connection (RFC 5321): greeting, EHLO (HELO when EHLO is refused), STARTTLS,
 * AUTH, then as many mail transactions as the recipients need, each with PIPELINING (RFC 2920) when offered.
 * Decides recipients in {@link Decisions} as the replies come; what it cannot decide on this connection stays
 * open for the next host, and {@link #run} reports why as a {@link HostFailure}.
 */
final class SmtpClientSession {

    private static final Logger LOG = Logger.getLogger(SmtpClientSession.class);
    /** Waiting for the answer to QUIT gains nothing; RFC 5321 4.1.1.10 only asks the client to send it. */
    private static final java.time.Duration QUIT_WAIT = java.time.Duration.ofSeconds(10);

    /** How this connection uses TLS. */
    record TlsPolicy(boolean startTls, boolean required, SSLContext context, boolean verifyName) {

        static final TlsPolicy PLAINTEXT = new TlsPolicy(false, false, null, false);
    }

    /** Credentials for AUTH; {@code withoutTls} allows them on a plaintext connection (loopback relay). */
    record Credentials(String user, String password, boolean withoutTls) {

        @Override
        public String toString() {
            return "Credentials[" + user + "]";
        }
    }

    /** Why a connection did not take (all) its recipients; the next host may. */
    record HostFailure(Kind kind, Status status, String enhancedStatus, String diagnostic, boolean smtpReply,
                       String remoteMta, String context) {

        enum Kind {
            /** the server answered greeting, EHLO, STARTTLS, AUTH or the first MAIL with a failure */
            REPLY,
            /** STARTTLS was accepted but the handshake failed: the same address may work without TLS */
            TLS_HANDSHAKE,
            /** TLS was required and not possible */
            TLS_REQUIRED,
            /** the connection broke or timed out */
            CONNECTION
        }

        static HostFailure reply(SmtpReply reply, String during, String remoteMta) {
            Status status = reply.isPermanentFailure() ? Status.PERMANENT : Status.TEMPORARY;
            return new HostFailure(Kind.REPLY, status, reply.enhancedCodeOr(status == Status.PERMANENT ? "5.0.0" : "4.0.0"),
                    reply.oneLine(), true, remoteMta, "in reply to " + during);
        }

        static HostFailure local(Kind kind, String enhancedStatus, String diagnostic) {
            return new HostFailure(kind, Status.TEMPORARY, enhancedStatus, diagnostic, false, null, null);
        }

        /** For logs: the diagnostic and what it answered. */
        String describe() {
            return context == null ? diagnostic : diagnostic + " (" + context + ")";
        }
    }

    private final SmtpClientSettings settings;
    private final OutboundAttempt attempt;
    private final Decisions decisions;
    private final String remoteMta;
    private final TlsPolicy tls;
    private final Credentials credentials;

    private EhloCapabilities capabilities = EhloCapabilities.NONE;
    private boolean pipelined;
    private boolean tlsUsed;
    private boolean handshakeFailed;
    private String tlsDescription;

    SmtpClientSession(SmtpClientSettings settings, OutboundAttempt attempt, Decisions decisions, String remoteMta,
                      TlsPolicy tls, Credentials credentials) {
        this.settings = settings;
        this.attempt = attempt;
        this.decisions = decisions;
        this.remoteMta = remoteMta;
        this.tls = tls;
        this.credentials = credentials;
    }

    boolean tlsUsed() {
        return tlsUsed;
    }

    String tlsDescription() {
        return tlsDescription;
    }

    boolean pipelined() {
        return pipelined;
    }

    /**
     * Runs the session for the still undecided recipients among {@code assigned}.
     *
     * @return null when every one of them was decided on this connection, otherwise why not
     */
    HostFailure run(SmtpConnection connection, List<Integer> assigned) {
        try {
            tlsUsed = connection.isTls();
            tlsDescription = connection.tlsDescription();
            SmtpReply greeting = connection.readReply(settings.commandTimeout());
            if (!greeting.isPositiveCompletion()) {
                connection.quitQuietly(QUIT_WAIT);
                return HostFailure.reply(greeting, "the greeting", remoteMta);
            }
            HostFailure failure = hello(connection);
            if (failure == null) {
                failure = startTls(connection);
            }
            if (failure == null && credentials != null) {
                failure = authenticate(connection);
            }
            if (failure == null && refusedBeforeMail(assigned)) {
                connection.quitQuietly(QUIT_WAIT);
                return null;
            }
            if (failure == null) {
                failure = transactions(connection, assigned);
            }
            if (!handshakeFailed && (failure == null || failure.kind() == HostFailure.Kind.REPLY
                    || failure.kind() == HostFailure.Kind.TLS_REQUIRED)) {
                connection.quitQuietly(QUIT_WAIT);
            }
            return failure;
        } catch (IOException e) {
            return connectionFailure(connection, e);
        }
    }

    private HostFailure connectionFailure(SmtpConnection connection, IOException e) {
        String what = SmtpConnection.isTimeout(e) ? "timed out talking to " : "connection to ";
        String diagnostic = SmtpConnection.isTimeout(e) ? what + remoteMta + ": " + e.getMessage()
                : what + remoteMta + " lost: " + e.getMessage();
        if (e instanceof SmtpProtocolException) {
            diagnostic = "protocol error from " + remoteMta + ": " + e.getMessage();
        }
        return HostFailure.local(HostFailure.Kind.CONNECTION, "4.4.2", diagnostic);
    }

    private HostFailure hello(SmtpConnection connection) throws IOException {
        connection.send(SmtpCommands.ehlo(settings.heloName()));
        SmtpReply ehlo = connection.readReply(settings.commandTimeout());
        if (ehlo.isPositiveCompletion()) {
            capabilities = EhloCapabilities.parse(ehlo);
            return null;
        }
        if (ehlo.isTransientFailure()) {
            return HostFailure.reply(ehlo, "EHLO", remoteMta);
        }
        // a server without ESMTP answers 500/502: plain SMTP then, no extensions (RFC 5321 section 3.2)
        connection.send(SmtpCommands.helo(settings.heloName()));
        SmtpReply helo = connection.readReply(settings.commandTimeout());
        if (!helo.isPositiveCompletion()) {
            return HostFailure.reply(helo, "HELO", remoteMta);
        }
        capabilities = EhloCapabilities.NONE;
        return null;
    }

    private HostFailure startTls(SmtpConnection connection) throws IOException {
        if (connection.isTls() || !tls.startTls()) {
            return null;
        }
        if (!capabilities.startTls()) {
            return tls.required() ? requiredTls("STARTTLS is not offered by " + remoteMta) : null;
        }
        connection.send(SmtpCommands.startTls());
        SmtpReply reply = connection.readReply(settings.commandTimeout());
        if (!reply.isPositiveCompletion()) {
            return tls.required() ? requiredTls("STARTTLS refused by " + remoteMta + ": " + reply.oneLine()) : null;
        }
        try {
            connection.upgrade(tls.context(), tls.verifyName(), settings.commandTimeout());
        } catch (IOException e) {
            handshakeFailed = true; // the connection is in no state for a polite QUIT
            String problem = "TLS handshake with " + remoteMta + " failed: " + e.getMessage();
            if (tls.required()) {
                return HostFailure.local(HostFailure.Kind.TLS_REQUIRED, "4.7.5", problem);
            }
            return HostFailure.local(HostFailure.Kind.TLS_HANDSHAKE, "4.7.5", problem);
        }
        tlsUsed = true;
        tlsDescription = connection.tlsDescription();
        // RFC 3207 section 4.2: forget what was learnt before TLS and ask again
        capabilities = EhloCapabilities.NONE;
        connection.send(SmtpCommands.ehlo(settings.heloName()));
        SmtpReply ehlo = connection.readReply(settings.commandTimeout());
        if (!ehlo.isPositiveCompletion()) {
            return HostFailure.reply(ehlo, "EHLO after STARTTLS", remoteMta);
        }
        capabilities = EhloCapabilities.parse(ehlo);
        return null;
    }

    private HostFailure requiredTls(String problem) {
        return HostFailure.local(HostFailure.Kind.TLS_REQUIRED, "4.7.5", problem);
    }

    private HostFailure authenticate(SmtpConnection connection) throws IOException {
        if (!connection.isTls() && !credentials.withoutTls()) {
            return HostFailure.local(HostFailure.Kind.TLS_REQUIRED, "4.7.5",
                    "not sending credentials to " + remoteMta + " without TLS");
        }
        var mechanisms = capabilities.authMechanisms();
        SmtpReply reply;
        if (mechanisms.contains("PLAIN")) {
            connection.send(SmtpCommands.authPlain(credentials.user(), credentials.password()));
            reply = connection.readReply(settings.commandTimeout());
        } else if (mechanisms.contains("LOGIN")) {
            connection.send(SmtpCommands.authLogin());
            reply = connection.readReply(settings.commandTimeout());
            if (reply.code() == 334) {
                connection.send(SmtpCommands.base64Line(credentials.user()));
                reply = connection.readReply(settings.commandTimeout());
            }
            if (reply.code() == 334) {
                connection.send(SmtpCommands.base64Line(credentials.password()));
                reply = connection.readReply(settings.commandTimeout());
            }
        } else {
            return HostFailure.local(HostFailure.Kind.REPLY, "4.7.0",
                    remoteMta + " offers neither AUTH PLAIN nor AUTH LOGIN (offered: " + mechanisms + ")");
        }
        if (reply.isPositiveCompletion()) {
            return null;
        }
        // our credentials are wrong or the relay is unwell: a configuration problem, never a bounce
        String enhanced = reply.enhancedCodeOr("4.7.0").replaceFirst("^5", "4");
        return new HostFailure(HostFailure.Kind.REPLY, Status.TEMPORARY, enhanced, reply.oneLine(), true, remoteMta,
                "in reply to AUTH");
    }

    /** Checks the message against what the server announced; decides all and returns true when it cannot go. */
    private boolean refusedBeforeMail(List<Integer> assigned) {
        List<Integer> open = open(assigned);
        OptionalLong limit = capabilities.sizeLimit();
        if (limit.isPresent() && attempt.size() > limit.getAsLong()) {
            decisions.decideAll(open, Status.PERMANENT, "5.3.4", "message of " + attempt.size()
                    + " octets exceeds the size limit of " + remoteMta + " (" + limit.getAsLong() + " octets)", false, remoteMta);
            return true;
        }
        if (attempt.smtpUtf8() && !capabilities.smtpUtf8()) {
            decisions.decideAll(open, Status.PERMANENT, "5.6.7", remoteMta
                    + " does not support SMTPUTF8, which this message needs", false, remoteMta);
            return true;
        }
        if (isBinary() && !(capabilities.chunking() && capabilities.binaryMime())) {
            // converting to 7bit would break the DKIM signature; RFC 3030 leaves no other way
            decisions.decideAll(open, Status.PERMANENT, "5.6.3", remoteMta
                    + " does not support BINARYMIME, which this message needs", false, remoteMta);
            return true;
        }
        return false;
    }

    private boolean isBinary() {
        return "BINARYMIME".equalsIgnoreCase(attempt.bodyType());
    }

    private boolean is8Bit() {
        return "8BITMIME".equalsIgnoreCase(attempt.bodyType());
    }

    private List<Integer> open(List<Integer> indices) {
        List<Integer> open = new ArrayList<>();
        for (int index : indices) {
            if (!decisions.isDecided(index)) {
                open.add(index);
            }
        }
        return open;
    }

    private HostFailure transactions(SmtpConnection connection, List<Integer> assigned) throws IOException {
        List<Integer> queue = open(assigned);
        boolean first = true;
        boolean needsReset = false;
        if (is8Bit() && !capabilities.eightBitMime()) {
            // RFC 6152 wants a downgrade, but re-encoding would break the DKIM signature; most servers take 8bit
            LOG.infof("%s does not announce 8BITMIME; sending the 8bit message %s unchanged", remoteMta, attempt.domain());
        }
        while (!queue.isEmpty()) {
            int batchSize = Math.min(queue.size(), settings.maxRecipientsPerTransaction());
            List<Integer> batch = new ArrayList<>(queue.subList(0, batchSize));
            List<Integer> rest = new ArrayList<>(queue.subList(batchSize, queue.size()));
            if (needsReset) {
                connection.send(SmtpCommands.rset());
                SmtpReply reset = connection.readReply(settings.commandTimeout());
                if (!reset.isPositiveCompletion()) {
                    return HostFailure.reply(reset, "RSET", remoteMta);
                }
            }
            Transaction result = transaction(connection, batch);
            if (result.hostFailure() != null) {
                if (first) {
                    return result.hostFailure();
                }
                // later transactions on a connection that worked: the server's answer is about this message
                decisions.decideAll(open(batch), result.hostFailure().status(), result.hostFailure().enhancedStatus(),
                        result.hostFailure().diagnostic(), true, remoteMta);
            }
            needsReset = !result.completed();
            List<Integer> deferred = result.deferred();
            if (!deferred.isEmpty() && !result.madeProgress()) {
                // "too many recipients" although none was taken: nothing gained by asking again now
                for (int index : deferred) {
                    decisions.decide(index, result.deferredReply(), remoteMta);
                }
                deferred = List.of();
            }
            queue = new ArrayList<>(deferred);
            queue.addAll(rest);
            queue = open(queue);
            first = false;
        }
        return null;
    }

    /**
     * The result of one mail transaction.
     *
     * @param deferred     recipients answered "too many recipients" (452, 4.5.3): for the next transaction
     * @param deferredReply that answer
     * @param madeProgress whether any recipient was accepted
     * @param completed    whether the transaction ended with a reply to the message data (no RSET needed)
     * @param hostFailure  MAIL was refused with 4xx
     */
    private record Transaction(List<Integer> deferred, SmtpReply deferredReply, boolean madeProgress, boolean completed,
                               HostFailure hostFailure) {
    }

    private Transaction transaction(SmtpConnection connection, List<Integer> batch) throws IOException {
        String mail;
        try {
            mail = SmtpCommands.mailFrom(attempt.reversePath(), capabilities.size() ? attempt.size() : -1,
                    bodyParameter(), attempt.smtpUtf8(), attempt.dsnRet(), attempt.dsnEnvId(), capabilities.dsn());
        } catch (IllegalArgumentException e) {
            decisions.decideAll(batch, Status.PERMANENT, "5.1.7", "bad sender address: " + e.getMessage(), false, null);
            return new Transaction(List.of(), null, false, true, null);
        }
        List<Integer> sent = new ArrayList<>();
        List<String> rcpts = new ArrayList<>();
        for (int index : batch) {
            try {
                rcpts.add(SmtpCommands.rcptTo(decisions.recipient(index), capabilities.dsn()));
                sent.add(index);
            } catch (IllegalArgumentException e) {
                decisions.decide(index, Status.PERMANENT, "5.1.3", "bad recipient address: " + e.getMessage(), false, null);
            }
        }
        if (sent.isEmpty()) {
            return new Transaction(List.of(), null, false, true, null);
        }
        boolean useData = !isBinary();
        SmtpReply mailReply;
        List<SmtpReply> rcptReplies = new ArrayList<>();
        SmtpReply dataReply = null;
        if (capabilities.pipelining()) {
            // RFC 2920: MAIL, every RCPT and DATA in one write, then the replies in order
            pipelined = true;
            connection.write(mail);
            for (String rcpt : rcpts) {
                connection.write(rcpt);
            }
            if (useData) {
                connection.write(SmtpCommands.data());
            }
            connection.flush();
            mailReply = connection.readReply(settings.commandTimeout());
            for (int i = 0; i < rcpts.size(); i++) {
                rcptReplies.add(connection.readReply(settings.commandTimeout()));
            }
            if (useData) {
                dataReply = connection.readReply(settings.commandTimeout());
            }
        } else {
            connection.send(mail);
            mailReply = connection.readReply(settings.commandTimeout());
            if (mailReply.isPositiveCompletion()) {
                for (String rcpt : rcpts) {
                    connection.send(rcpt);
                    rcptReplies.add(connection.readReply(settings.commandTimeout()));
                }
            }
        }
        if (!mailReply.isPositiveCompletion()) {
            endUnwantedData(connection, dataReply);
            if (mailReply.isPermanentFailure()) {
                for (int index : sent) {
                    decisions.decide(index, mailReply, remoteMta);
                }
                return new Transaction(List.of(), null, false, false, null);
            }
            return new Transaction(List.of(), null, false, false, HostFailure.reply(mailReply, "MAIL", remoteMta));
        }
        List<Integer> accepted = new ArrayList<>();
        List<Integer> deferred = new ArrayList<>();
        SmtpReply deferredReply = null;
        for (int i = 0; i < sent.size(); i++) {
            SmtpReply reply = rcptReplies.get(i);
            int index = sent.get(i);
            if (reply.isPositiveCompletion()) {
                accepted.add(index);
            } else if (isTooManyRecipients(reply)) {
                deferred.add(index);
                deferredReply = reply;
            } else {
                decisions.decide(index, reply, remoteMta);
            }
        }
        if (accepted.isEmpty()) {
            endUnwantedData(connection, dataReply);
            return new Transaction(deferred, deferredReply, false, false, null);
        }
        if (useData && dataReply == null) {
            connection.send(SmtpCommands.data());
            dataReply = connection.readReply(settings.commandTimeout());
        }
        if (useData && dataReply.code() != 354) {
            for (int index : accepted) {
                decisions.decide(index, dataReply.isPositiveCompletion() ? unexpected(dataReply) : dataReply, remoteMta);
            }
            return new Transaction(deferred, deferredReply, true, false, null);
        }
        SmtpReply finalReply;
        try {
            if (useData) {
                sendDotStuffed(connection);
            } else {
                sendBdat(connection);
            }
            finalReply = connection.readReply(settings.finalDotTimeout());
        } catch (IOException e) {
            // the message may or may not have arrived; only a retry can tell, and a duplicate beats a loss
            String reason = SmtpConnection.isTimeout(e) || connection.writeTimedOut() ? "timed out" : "lost";
            decisions.decideAll(accepted, Status.TEMPORARY, "4.4.2", "connection to " + remoteMta + " " + reason
                    + " during the message data: " + e.getMessage(), false, remoteMta);
            throw e;
        }
        for (int index : accepted) {
            decisions.decide(index, finalReply, remoteMta);
        }
        return new Transaction(deferred, deferredReply, true, true, null);
    }

    /** A 2xx where 354 belongs: the server is confused; try again later rather than trust it. */
    private static SmtpReply unexpected(SmtpReply reply) {
        return new SmtpReply(451, List.of("4.5.0 unexpected reply to DATA: " + reply.oneLine()));
    }

    /** A DATA that the server accepted although the transaction failed: end it with an empty message. */
    private void endUnwantedData(SmtpConnection connection, SmtpReply dataReply) throws IOException {
        if (dataReply != null && dataReply.code() == 354) {
            connection.send(".\r\n");
            connection.readReply(settings.finalDotTimeout());
        }
    }

    /** RFC 5321 section 4.5.3.1.10: 452 is the answer to one recipient too many; 4.5.3 says so explicitly. */
    private static boolean isTooManyRecipients(SmtpReply reply) {
        String enhanced = reply.enhancedCode();
        return "4.5.3".equals(enhanced) || (reply.code() == 452 && enhanced == null);
    }

    private String bodyParameter() {
        if (isBinary()) {
            return "BINARYMIME";
        }
        if (is8Bit() && capabilities.eightBitMime()) {
            return "8BITMIME";
        }
        return null;
    }

    private void sendDotStuffed(SmtpConnection connection) throws IOException {
        DotStuffingOutputStream data = new DotStuffingOutputStream(connection.dataStream());
        try (InputStream file = Files.newInputStream(attempt.message())) {
            file.transferTo(data);
        }
        data.finish();
    }

    private void sendBdat(SmtpConnection connection) throws IOException {
        long size = Files.size(attempt.message());
        connection.write(SmtpCommands.bdatLast(size));
        OutputStream out = connection.dataStream();
        try (InputStream file = Files.newInputStream(attempt.message())) {
            file.transferTo(out);
        }
        out.flush();
    }

    @Override
    public String toString() {
        return "SmtpClientSession[" + remoteMta + ", " + capabilities.toString().toLowerCase(Locale.ROOT) + "]";
    }
}
