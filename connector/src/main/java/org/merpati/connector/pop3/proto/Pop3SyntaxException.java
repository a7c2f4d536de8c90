package org.merpati.connector.pop3.proto;

/** A command line that cannot be parsed; the message becomes the text of the -ERR reply. */
public final class Pop3SyntaxException extends Exception {

    private static final long serialVersionUID = 1L;

    public Pop3SyntaxException(String message) {
        super(message, null, false, false);
    }
}
