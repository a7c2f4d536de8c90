package org.merpati.connector.api;

/**
 * What the server knows about the client connection when it calls an endpoint.
 *
 * @param sessionId     unique id of the connection, for logs and Received headers
 * @param protocol      the WITH value of RFC 5321 section 4.4 / RFC 3848 (SMTP, ESMTP, ESMTPS, ESMTPSA, LMTP, LMTPS ...)
 * @param clientAddress the client's IP address as text
 * @param clientPort    the client's TCP port
 * @param heloName      the name the client gave in EHLO/HELO/LHLO (may be null before it)
 * @param localAddress  the address the client connected to
 * @param localPort     the port the client connected to
 * @param tlsProtocol   e.g. TLSv1.3, or null when the connection is in clear text
 * @param tlsCipher     the negotiated cipher suite, or null
 * @param authenticatedUser the SASL identity after AUTH, or null (always null on MX and LMTP)
 */
public record SessionInfo(String sessionId, String protocol, String clientAddress, int clientPort, String heloName,
                          String localAddress, int localPort, String tlsProtocol, String tlsCipher,
                          String authenticatedUser) implements java.io.Serializable {

    public boolean isTls() {
        return tlsProtocol != null;
    }

    public boolean isAuthenticated() {
        return authenticatedUser != null;
    }
}
