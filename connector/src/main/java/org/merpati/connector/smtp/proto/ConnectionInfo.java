package org.merpati.connector.smtp.proto;

/** The fixed facts of one connection, for {@link org.merpati.connector.api.SessionInfo}. */
public record ConnectionInfo(String sessionId, String clientAddress, int clientPort, String localAddress, int localPort) {
}
