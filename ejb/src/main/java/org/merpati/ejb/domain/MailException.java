package org.merpati.ejb.domain;

import jakarta.ejb.ApplicationException;

/**
 * A domain failure with its {@link MailError}. An application exception: it reaches the caller as is and
 * rolls the transaction back.
 */
@ApplicationException(rollback = true)
public class MailException extends RuntimeException {

    private final MailError error;

    public MailException(MailError error, String message) {
        super(message);
        this.error = error;
    }

    public MailError error() {
        return error;
    }
}
