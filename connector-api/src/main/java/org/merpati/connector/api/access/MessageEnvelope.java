package org.merpati.connector.api.access;

import java.util.List;

/**
 * The ENVELOPE of a message (RFC 9051 section 7.5.2), cached at delivery. Strings are raw header values
 * (unfolded, encoded words kept), null when the header is absent. Address lists are empty when absent; per
 * the RFC, sender and reply-to default to from, which the parser already applied.
 */
public record MessageEnvelope(String date, String subject, List<Address> from, List<Address> sender,
                              List<Address> replyTo, List<Address> to, List<Address> cc, List<Address> bcc,
                              String inReplyTo, String messageId) implements java.io.Serializable {

    public MessageEnvelope {
        from = List.copyOf(from);
        sender = List.copyOf(sender);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
    }
}
