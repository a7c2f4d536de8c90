package org.merpati.ejb.submission;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import org.merpati.connector.api.Reply;
import org.merpati.connector.api.SessionInfo;
import org.merpati.ejb.domain.MailAddress;
import org.merpati.ejb.mailauth.MessageSigning;
import org.merpati.ejb.service.TraceHeaders;

/**
 * Turns a spooled submission into the message that is stored and relayed: judges the {@code From:} and
 * {@code Sender:} fields against the account, adds {@code Message-ID} and {@code Date} when missing, prepends
 * the Received field, then the DKIM signatures of the {@code From:} domain last, so that they cover
 * everything added. Streams file to file; the message is never in memory.
 */
final class MessagePreparation {

    /** The account's sender rules (a directory read in the server, a table in tests). */
    @FunctionalInterface
    interface SenderCheck {
        /** @return the first address the account may not use, or null */
        String firstForeign(List<String> addresses);
    }

    /** The final message in a work file the caller deletes. */
    record Prepared(Path file, long size, String fromDomain) {
    }

    /** The message is refused with this reply (nothing was written). */
    static final class Refused extends Exception {
        private final transient Reply reply;

        Refused(Reply reply) {
            super(reply.text(), null, false, false);
            this.reply = reply;
        }

        Reply reply() {
            return reply;
        }
    }

    private final SubmissionSettings settings;
    private final MessageSigning signing;

    /** @param signing the DKIM signer, or null when none is deployed (the message goes out unsigned) */
    MessagePreparation(SubmissionSettings settings, MessageSigning signing) {
        this.settings = settings;
        this.signing = signing;
    }

    Prepared prepare(SessionInfo session, String id, Path spool, SenderCheck senders, Path workDir,
                     ZonedDateTime now) throws IOException, Refused {
        SubmittedHeaders headers;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(spool), 16 * 1024)) {
            headers = SubmittedHeaders.scan(in);
        }
        SubmittedHeaders.Authors authors = headers.authors();
        if (authors.problem() != null) {
            throw new Refused(SubmissionReplies.badHeader(authors.problem()));
        }
        String foreign = senders.firstForeign(authors.all());
        if (foreign != null) {
            throw new Refused(SubmissionReplies.authorNotOwned(foreign, session.authenticatedUser()));
        }
        // every author passed the ownership rules, which parse them: the first one's domain signs
        String fromDomain = MailAddress.parse(authors.from().get(0)).domain();

        Files.createDirectories(workDir);
        Path unsigned = Files.createTempFile(workDir, "submit-", ".eml");
        Path signed = null;
        try {
            String received = TraceHeaders.submissionReceived(session, settings.hostname(), id,
                    settings.hideClientIp(), now);
            String added = HeaderFixups.missingFields(headers, settings.hostname(), now);
            long size = HeaderFixups.write(spool, headers, received, added, unsigned);
            String signatures = signing == null ? "" : signing.dkimSignatures(fromDomain, unsigned);
            if (signatures == null || signatures.isEmpty()) {
                return new Prepared(unsigned, size, fromDomain);
            }
            signed = Files.createTempFile(workDir, "submit-", ".eml");
            byte[] front = signatures.getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = Files.newOutputStream(signed)) {
                out.write(front);
                size = front.length + Files.copy(unsigned, out);
            }
            Files.deleteIfExists(unsigned);
            return new Prepared(signed, size, fromDomain);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(unsigned);
            if (signed != null) {
                Files.deleteIfExists(signed);
            }
            throw e;
        }
    }
}
