package org.merpati.ejb.outbound;

import java.nio.file.Path;
import java.util.List;

import org.merpati.connector.api.Recipient;

/**
 * One delivery attempt of a queued message to the recipients of one domain.
 *
 * @param domain      the destination domain (lower case; IDNs as A-labels)
 * @param reversePath MAIL FROM (empty for the null sender)
 * @param recipients  the still-pending recipients of that domain, with NOTIFY/ORCPT
 * @param message     the stored message file, sent byte for byte (dot-stuffed on the wire)
 * @param size        its size (for SIZE=)
 * @param bodyType    7BIT, 8BITMIME or BINARYMIME
 * @param smtpUtf8    whether SMTPUTF8 is needed
 * @param dsnRet      RET= (FULL/HDRS) or null
 * @param dsnEnvId    ENVID= (xtext) or null
 */
public record OutboundAttempt(String domain, String reversePath, List<Recipient> recipients, Path message, long size,
                              String bodyType, boolean smtpUtf8, String dsnRet, String dsnEnvId) {

    public OutboundAttempt {
        recipients = List.copyOf(recipients);
    }
}
