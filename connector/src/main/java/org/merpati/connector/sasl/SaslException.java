package org.merpati.connector.sasl;

/** A SASL response that cannot be decoded; the message is safe to show the client. */
public final class SaslException extends Exception {

    private static final long serialVersionUID = 1L;

    public SaslException(String message) {
        super(message, null, false, false);
    }
}
