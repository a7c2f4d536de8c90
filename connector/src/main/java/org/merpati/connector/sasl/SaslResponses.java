package org.merpati.connector.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Decodes the client's SASL responses for AUTH PLAIN (RFC 4616) and AUTH LOGIN. */
public final class SaslResponses {

    /** authzid (empty when not given), authcid and password of a PLAIN response. */
    public record Plain(String authzid, String authcid, String password) {
    }

    /** The base64 challenges of LOGIN: "Username:" and "Password:". */
    public static final String LOGIN_USERNAME_CHALLENGE = "VXNlcm5hbWU6";
    public static final String LOGIN_PASSWORD_CHALLENGE = "UGFzc3dvcmQ6";

    /** The client's cancel response (RFC 4954 section 4, RFC 5034 section 4). */
    public static final String CANCEL = "*";

    private SaslResponses() {
    }

    /** Base64 to UTF-8 text; "=" is the empty response (RFC 4954 section 4, RFC 5034 section 4). */
    public static String decode(String base64) throws SaslException {
        if ("=".equals(base64)) {
            return "";
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new SaslException("invalid base64 in SASL response");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SaslException("SASL response is not UTF-8");
        }
    }

    /** {@code [authzid] NUL authcid NUL passwd}, base64-encoded. */
    public static Plain plain(String base64) throws SaslException {
        String text = decode(base64);
        int first = text.indexOf('\0');
        int second = first < 0 ? -1 : text.indexOf('\0', first + 1);
        if (second < 0 || text.indexOf('\0', second + 1) >= 0) {
            throw new SaslException("malformed PLAIN response");
        }
        Plain plain = new Plain(text.substring(0, first), text.substring(first + 1, second), text.substring(second + 1));
        if (plain.authcid().isEmpty() || plain.password().isEmpty()) {
            throw new SaslException("malformed PLAIN response");
        }
        return plain;
    }
}
