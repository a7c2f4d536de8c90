package org.merpati.ejb.inbound;

import jakarta.ejb.ApplicationException;
import jakarta.ejb.EJB;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.connector.api.Reply;
import org.merpati.connector.api.SessionInfo;
import org.merpati.connector.api.SubmissionListener;
import org.merpati.ejb.service.SmtpReplies;
import org.merpati.ejb.submission.SubmissionService;

/**
 * What the two submission endpoints (587 with STARTTLS, 465 with implicit TLS) share: each call goes to
 * {@link SubmissionService}, which owns the transactions. A system failure of the service call reaches the
 * client as a temporary failure ({@code 451 4.3.0}), never as a stack trace; for {@link #authenticate} the
 * listener contract is an exception, which the connector answers with {@code 454 4.7.0}.
 */
abstract class SubmissionEndpoint implements SubmissionListener {

    private static final Logger LOG = Logger.getLogger(SubmissionEndpoint.class.getName());

    @EJB
    private SubmissionService submission;

    /**
     * The directory cannot decide now. An application exception, so the container hands it to the connector as
     * it is instead of logging a system failure and discarding the bean instance.
     */
    @ApplicationException(rollback = false)
    public static final class AuthenticationUnavailableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        AuthenticationUnavailableException() {
            super("authentication unavailable", null, false, false);
        }
    }

    @Override
    public String authenticate(SessionInfo session, String authzid, String authcid, String password) {
        try {
            return submission.authenticate(session, authzid, authcid, password);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session " + session.sessionId() + ": authenticate failed", e);
            throw new AuthenticationUnavailableException();
        }
    }

    @Override
    public Reply checkSender(SessionInfo session, String reversePath) {
        try {
            return submission.checkSender(session, reversePath);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session " + session.sessionId() + ": checkSender failed", e);
            return SmtpReplies.localError();
        }
    }

    @Override
    public Reply checkRecipient(SessionInfo session, String reversePath, Recipient recipient, long declaredSize) {
        try {
            return submission.checkRecipient(session, recipient, declaredSize);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session " + session.sessionId() + ": checkRecipient failed", e);
            return SmtpReplies.localError();
        }
    }

    @Override
    public List<Reply> deliver(SessionInfo session, Envelope envelope, Path spool, long size) {
        try {
            return submission.deliver(session, envelope, spool, size);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session " + session.sessionId() + ": deliver failed", e);
            return Collections.nCopies(envelope.recipients().size(), SmtpReplies.localError());
        }
    }
}
