package org.merpati.connector.imap.proto;

/** A command that does not follow the grammar: answered with a tagged (or untagged) BAD. */
public class ImapSyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    public ImapSyntaxException(String message) {
        super(message, null, false, false);
    }
}
