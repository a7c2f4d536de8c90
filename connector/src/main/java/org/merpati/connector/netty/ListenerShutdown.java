package org.merpati.connector.netty;

/**
 * User event fired on every open connection when its listener stops, so the protocol can say goodbye
 * (SMTP 421, IMAP BYE) before the channel is closed.
 */
public enum ListenerShutdown {
    INSTANCE
}
