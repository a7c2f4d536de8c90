package org.merpati.connector.api;

/**
 * Message listener of the submission activations: RFC 6409 (port 587, STARTTLS) and RFC 8314 (port 465,
 * implicit TLS). The session authenticates before MAIL; every call after that carries the account in
 * {@link SessionInfo#authenticatedUser()}, and {@link #checkSender}, {@link #checkRecipient} and
 * {@link #deliver} act for that account only. {@code deliver} stores local copies and queues remote
 * recipients in one transaction: a positive reply means stored and queued.
 */
public interface SubmissionListener extends MailDeliveryListener {

    /**
     * Checks a SASL PLAIN/LOGIN credential.
     *
     * @param authzid the authorization identity (empty or null when the client gave none; must then equal the
     *                account if given)
     * @return the canonical account address, or null when the credentials are wrong
     * @throws RuntimeException when the directory cannot decide now (the session answers 454 4.7.0)
     */
    String authenticate(SessionInfo session, String authzid, String authcid, String password);
}
