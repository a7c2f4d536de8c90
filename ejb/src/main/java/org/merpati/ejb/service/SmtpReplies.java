package org.merpati.ejb.service;

import org.merpati.connector.api.Reply;
import org.merpati.ejb.domain.MailError;
import org.merpati.ejb.domain.MailException;

/** The one mapping from {@link MailError} to SMTP/LMTP replies with RFC 3463 enhanced codes. */
public final class SmtpReplies {

    private SmtpReplies() {
    }

    public static Reply of(MailException e, int overQuotaCode) {
        return of(e.error(), e.getMessage(), overQuotaCode);
    }

    public static Reply of(MailError error, String text, int overQuotaCode) {
        return switch (error) {
            case NOT_FOUND -> new Reply(550, "5.1.1", text);
            case PERMISSION -> new Reply(554, "5.7.1", text);
            case INVALID -> new Reply(501, "5.1.3", text);
            case NO_QUOTA -> overQuotaCode == 552 ? new Reply(552, "5.2.2", text) : new Reply(452, "4.2.2", text);
            case LIMIT -> new Reply(552, "5.3.4", text);
            // the one NOT_POSSIBLE a recipient meets is a disabled mailbox
            case NOT_POSSIBLE -> new Reply(550, "5.2.1", text);
            case EXISTS -> new Reply(550, "5.0.0", text);
            case TEMPORARY -> new Reply(451, "4.3.0", text);
        };
    }

    /** Any failure that is not a domain error: the client keeps the message and retries. */
    public static Reply localError() {
        return new Reply(451, "4.3.0", "Local error in processing, try again later");
    }

    public static Reply notReady() {
        return new Reply(451, "4.3.2", "Storage is starting, try again later");
    }
}
