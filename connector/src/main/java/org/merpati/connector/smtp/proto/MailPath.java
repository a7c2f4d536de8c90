package org.merpati.connector.smtp.proto;

/**
 * A reverse or forward path of RFC 5321 section 4.1.2, without its angle brackets.
 *
 * @param localPart      the local part as sent; for a quoted local part including its quotes; empty for {@code <>}
 * @param domain         the domain or address literal (with its brackets); null for {@code <>} and bare
 *                       {@code <postmaster>}
 * @param quoted         whether the local part is a quoted string: the server may refuse these, since quoting
 *                       ({@code "a@b"@c}) is a classic way to smuggle a relay route past a naive parser
 * @param addressLiteral whether the domain is an IP address literal ({@code [192.0.2.1]}, {@code [IPv6:...]})
 * @param nonAscii       whether the path holds non-ASCII characters (only allowed with SMTPUTF8)
 */
public record MailPath(String localPart, String domain, boolean quoted, boolean addressLiteral, boolean nonAscii) {

    /** The null reverse path {@code <>}. */
    public static final MailPath NULL = new MailPath("", null, false, false, false);

    public boolean isNull() {
        return localPart.isEmpty() && domain == null;
    }

    /** The bare {@code <postmaster>} recipient that RFC 5321 section 4.5.1 requires every server to accept. */
    public boolean isBarePostmaster() {
        return domain == null && !localPart.isEmpty();
    }

    /** The address as text, without brackets: {@code local@domain}, {@code postmaster} or the empty string. */
    public String address() {
        return domain == null ? localPart : localPart + "@" + domain;
    }

    @Override
    public String toString() {
        return "<" + address() + ">";
    }
}
