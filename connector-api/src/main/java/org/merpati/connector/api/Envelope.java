package org.merpati.connector.api;

import java.util.List;

/**
 * The SMTP envelope of one mail transaction.
 *
 * @param reversePath the MAIL FROM address without brackets; empty for the null sender {@code <>}
 * @param recipients  accepted recipients in the order they were given
 * @param bodyType    7BIT, 8BITMIME or BINARYMIME (the BODY parameter; 7BIT when absent)
 * @param smtpUtf8    whether the SMTPUTF8 parameter was given
 * @param dsnRet      the RET parameter (FULL or HDRS) or null
 * @param dsnEnvId    the ENVID parameter (xtext as sent) or null
 * @param declaredSize the SIZE parameter, or -1
 */
public record Envelope(String reversePath, List<Recipient> recipients, String bodyType, boolean smtpUtf8,
                       String dsnRet, String dsnEnvId, long declaredSize) implements java.io.Serializable {

    public Envelope {
        recipients = List.copyOf(recipients);
    }

    public boolean isNullSender() {
        return reversePath.isEmpty();
    }
}
