package org.merpati.ejb.dns;

import java.io.IOException;

/** A DNS question got no usable answer (timeout, SERVFAIL, refused): try again later, conclude nothing. */
public class DnsTemporaryException extends IOException {

    public DnsTemporaryException(String message) {
        super(message);
    }
}
