package org.merpati.connector.smtp.proto;

/**
 * The ESMTP parameters of MAIL FROM that this server supports.
 *
 * @param size     SIZE (RFC 1870), or -1 when absent
 * @param body     BODY (RFC 6152, RFC 3030): 7BIT, 8BITMIME or BINARYMIME
 * @param smtpUtf8 SMTPUTF8 (RFC 6531) given
 * @param ret      RET (RFC 3461): FULL or HDRS, or null
 * @param envId    ENVID (RFC 3461) as sent, or null
 */
public record MailParameters(long size, String body, boolean smtpUtf8, String ret, String envId) {

    public static final String BODY_7BIT = "7BIT";
    public static final String BODY_8BITMIME = "8BITMIME";
    public static final String BODY_BINARYMIME = "BINARYMIME";

    public static final MailParameters NONE = new MailParameters(-1, BODY_7BIT, false, null, null);

    public boolean isBinary() {
        return BODY_BINARYMIME.equals(body);
    }
}
