package org.merpati.connector.smtp.proto;

import org.merpati.connector.api.Reply;

/**
 * A command that cannot be accepted as written. Carries the reply to send, so the parser decides the code
 * once (SubEthaSMTP's RejectException habit) and the session only writes it.
 */
public final class SmtpSyntaxException extends Exception {

    private final transient Reply reply;

    public SmtpSyntaxException(int code, String enhanced, String text) {
        super(code + " " + enhanced + " " + text, null, false, false);
        this.reply = new Reply(code, enhanced, text);
    }

    public Reply reply() {
        return reply;
    }
}
