package org.merpati.ejb.outbound.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import org.merpati.connector.api.Recipient;

/**
 * Sans-IO encoding of the client's command lines, each ending in CRLF. Values that come from the queue
 * (addresses, DSN parameters) are checked so that nothing can inject a second command: a CR, LF or NUL, or a
 * space or angle bracket outside what an address may hold, is refused with {@link IllegalArgumentException}.
 * Extension parameters are added only when the caller says the server announced the extension.
 */
public final class SmtpCommands {

    private SmtpCommands() {
    }

    public static String ehlo(String clientName) {
        return "EHLO " + checkDomain(clientName) + "\r\n";
    }

    public static String helo(String clientName) {
        return "HELO " + checkDomain(clientName) + "\r\n";
    }

    public static String startTls() {
        return "STARTTLS\r\n";
    }

    public static String data() {
        return "DATA\r\n";
    }

    public static String rset() {
        return "RSET\r\n";
    }

    public static String quit() {
        return "QUIT\r\n";
    }

    /** {@code BDAT n LAST} (RFC 3030): the whole message as one chunk, which follows the command unchanged. */
    public static String bdatLast(long size) {
        return "BDAT " + size + " LAST\r\n";
    }

    /** AUTH PLAIN with the initial response (RFC 4616, RFC 4954): no authorization identity. */
    public static String authPlain(String user, String password) {
        byte[] message = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
        return "AUTH PLAIN " + Base64.getEncoder().encodeToString(message) + "\r\n";
    }

    public static String authLogin() {
        return "AUTH LOGIN\r\n";
    }

    /** One base64 line answering a 334 challenge. */
    public static String base64Line(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }

    /**
     * The MAIL command.
     *
     * @param reversePath the sender without brackets, empty for the null sender
     * @param size        SIZE= value (RFC 1870), or a negative number to omit it
     * @param body        BODY= value ({@code 8BITMIME}, {@code BINARYMIME}), or null to omit it
     * @param smtpUtf8    whether to add SMTPUTF8 (RFC 6531)
     * @param dsnRet      RET= value (FULL or HDRS), or null
     * @param dsnEnvId    ENVID= value, xtext or plain text (plain text is encoded), or null
     * @param dsn         whether the server announced DSN; RET and ENVID are left out otherwise
     */
    public static String mailFrom(String reversePath, long size, String body, boolean smtpUtf8, String dsnRet,
                                  String dsnEnvId, boolean dsn) {
        StringBuilder line = new StringBuilder("MAIL FROM:<").append(checkPath(reversePath)).append('>');
        if (size >= 0) {
            line.append(" SIZE=").append(size);
        }
        if (body != null) {
            line.append(" BODY=").append(checkKeyword(body));
        }
        if (smtpUtf8) {
            line.append(" SMTPUTF8");
        }
        if (dsn && dsnRet != null && !dsnRet.isBlank()) {
            line.append(" RET=").append(checkKeyword(dsnRet));
        }
        if (dsn && dsnEnvId != null && !dsnEnvId.isBlank()) {
            line.append(" ENVID=").append(asXtext(dsnEnvId));
        }
        return line.append("\r\n").toString();
    }

    /**
     * The RCPT command. With DSN announced, NOTIFY is passed on as given and ORCPT is the recipient's own
     * ({@code addr-type;xtext}) or, when it has none, {@code rfc822;} and the xtext of the address — so that a
     * DSN from further down the path still names the address our user wrote (RFC 3461 section 4.2).
     */
    public static String rcptTo(Recipient recipient, boolean dsn) {
        StringBuilder line = new StringBuilder("RCPT TO:<").append(checkPath(recipient.address())).append('>');
        if (dsn) {
            if (recipient.dsnNotify() != null && !recipient.dsnNotify().isBlank()) {
                line.append(" NOTIFY=").append(checkNotify(recipient.dsnNotify()));
            }
            String orcpt = orcpt(recipient);
            if (orcpt != null) {
                line.append(" ORCPT=").append(orcpt);
            }
        }
        return line.append("\r\n").toString();
    }

    private static String orcpt(Recipient recipient) {
        String given = recipient.orcpt();
        if (given != null && !given.isBlank()) {
            int semi = given.indexOf(';');
            if (semi <= 0) {
                return null;
            }
            String addrType = given.substring(0, semi);
            if (!addrType.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
                throw new IllegalArgumentException("not an ORCPT addr-type: " + SmtpReplyParser.printable(addrType));
            }
            return addrType + ";" + asXtext(given.substring(semi + 1));
        }
        String address = recipient.address();
        if (address.isEmpty() || !StandardCharsets.US_ASCII.newEncoder().canEncode(address)) {
            return null; // an internationalised address would need RFC 6533's utf-8 type; leave it out
        }
        return "rfc822;" + Xtext.encode(address);
    }

    /** Already xtext (as the queue stores what the client sent): unchanged; otherwise encoded. */
    private static String asXtext(String value) {
        return Xtext.isXtext(value) ? value : Xtext.encode(value);
    }

    private static String checkPath(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '<' || c == '>') {
                throw new IllegalArgumentException("not a mailbox: " + SmtpReplyParser.printable(path));
            }
            if (c == ' ' && !path.startsWith("\"")) {
                throw new IllegalArgumentException("not a mailbox: " + SmtpReplyParser.printable(path));
            }
        }
        return path;
    }

    private static String checkKeyword(String value) {
        if (!value.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
            throw new IllegalArgumentException("not a parameter keyword: " + SmtpReplyParser.printable(value));
        }
        return value.toUpperCase(Locale.ROOT);
    }

    private static String checkNotify(String value) {
        if (!value.matches("[A-Za-z]+(,[A-Za-z]+)*")) {
            throw new IllegalArgumentException("not a NOTIFY value: " + SmtpReplyParser.printable(value));
        }
        return value.toUpperCase(Locale.ROOT);
    }

    private static String checkDomain(String name) {
        if (!name.matches("[A-Za-z0-9.:\\[\\]-]+")) {
            throw new IllegalArgumentException("not a domain or address literal: " + SmtpReplyParser.printable(name));
        }
        return name;
    }
}
