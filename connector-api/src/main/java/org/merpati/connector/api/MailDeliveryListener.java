package org.merpati.connector.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What the SMTP and LMTP listeners ask of the server. Implementations run on a WorkManager thread, never on
 * a network event loop, and may block (database, DNS).
 */
public interface MailDeliveryListener {

    /**
     * Judges MAIL FROM. Return null to accept, or a 4xx/5xx reply to refuse the transaction.
     */
    Reply checkSender(SessionInfo session, String reversePath);

    /**
     * Judges one RCPT TO before it is accepted into the envelope. Return null to accept, or a 4xx/5xx reply.
     *
     * @param declaredSize the SIZE parameter of MAIL FROM, or -1 (lets a quota refuse early)
     */
    Reply checkRecipient(SessionInfo session, String reversePath, Recipient recipient, long declaredSize);

    /**
     * Stores the message for every recipient of the envelope. The spool file holds the message exactly as
     * received (dot-unstuffed, CRLF line ends) and is deleted by the caller after this returns; an
     * implementation must copy what it keeps. A positive reply means the message is durably stored.
     *
     * @return one reply per recipient, in envelope order (SMTP writes one reply for all of them, LMTP one each)
     */
    List<Reply> deliver(SessionInfo session, Envelope envelope, Path spool, long size);
}
