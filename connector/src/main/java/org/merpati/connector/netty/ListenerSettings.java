package org.merpati.connector.netty;

/**
 * Where a listener binds and how many clients it serves.
 *
 * @param protocol            name for logs, e.g. "SMTP"
 * @param bindAddress         address to bind ("0.0.0.0" for all)
 * @param port                TCP port; 0 picks a free one (tests)
 * @param tlsMode             NONE, STARTTLS or IMPLICIT
 * @param maxConnections      open connections at most, over all clients
 * @param maxConnectionsPerIp open connections at most from one client address
 * @param idleTimeoutSeconds  seconds without input before the protocol closes the connection
 */
public record ListenerSettings(String protocol, String bindAddress, int port, TlsMode tlsMode, int maxConnections,
                               int maxConnectionsPerIp, int idleTimeoutSeconds) {

    public ListenerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxConnections < 1 || maxConnectionsPerIp < 1 || idleTimeoutSeconds < 1) {
            throw new IllegalArgumentException("connection limits and idle timeout must be positive");
        }
    }
}
