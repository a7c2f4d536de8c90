package org.merpati.ejb.mailauth.dkim;

import java.io.IOException;

/** The header block is larger than the limit we hold in memory: the message cannot be verified or signed. */
public class HeaderTooLargeException extends IOException {

    public HeaderTooLargeException(long limit) {
        super("header block larger than " + limit + " bytes");
    }
}
