package org.merpati.ejb.submission;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.merpati.connector.api.Envelope;
import org.merpati.connector.api.Recipient;
import org.merpati.connector.api.Reply;
import org.merpati.connector.api.SessionInfo;
import org.merpati.ejb.service.SmtpReplies;

/**
 * What the submission listeners (ports 587 and 465) delegate to. Never throws to the listener.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SubmissionService {

    /** @return the canonical account address, or null when the credentials are wrong */
    public String authenticate(SessionInfo session, String authzid, String authcid, String password) {
        return null;
    }

    /** MAIL FROM: null to accept, else the refusal. */
    public Reply checkSender(SessionInfo session, String reversePath) {
        return SmtpReplies.localError();
    }

    /** RCPT TO: null to accept, else the refusal. */
    public Reply checkRecipient(SessionInfo session, Recipient recipient, long declaredSize) {
        return SmtpReplies.localError();
    }

    /** One reply per recipient (all the same: one transaction). */
    public List<Reply> deliver(SessionInfo session, Envelope envelope, Path spool, long size) {
        return Collections.nCopies(envelope.recipients().size(), SmtpReplies.localError());
    }
}
