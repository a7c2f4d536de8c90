/**
 * Runs the sans-IO POP3 session on a Netty channel: bytes from the socket go into
 * {@link org.merpati.connector.pop3.proto.Pop3Session}, replies come back through the channel, message bodies
 * are streamed through a {@link io.netty.handler.stream.ChunkedWriteHandler} (a {@code FileRegion} cannot pass
 * through TLS), STLS inserts the TLS handler, and listener results and failed-login delays return on the
 * channel's event loop.
 */
package org.merpati.connector.pop3.netty;
