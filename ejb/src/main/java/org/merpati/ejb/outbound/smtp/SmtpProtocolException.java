package org.merpati.ejb.outbound.smtp;

import java.io.IOException;

/** The remote server broke the protocol (a malformed reply, an over-long line): give up on that connection. */
public class SmtpProtocolException extends IOException {

    public SmtpProtocolException(String message) {
        super(message);
    }
}
