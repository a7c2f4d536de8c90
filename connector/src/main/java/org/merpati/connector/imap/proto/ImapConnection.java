package org.merpati.connector.imap.proto;

/** Where a connection comes from and goes to. */
public record ImapConnection(String sessionId, String clientAddress, int clientPort, String localAddress, int localPort) {
}
