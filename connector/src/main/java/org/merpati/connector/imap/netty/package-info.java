/**
 * Runs the sans-IO IMAP session on a Netty channel: bytes from the socket go into
 * {@link org.merpati.connector.imap.proto.ImapSession}, responses and streamed message bodies go out through a
 * {@link io.netty.handler.stream.ChunkedWriteHandler} (which respects channel writability and works under
 * TLS), STARTTLS inserts the TLS handler, and endpoint results return on the channel's event loop.
 */
package org.merpati.connector.imap.netty;
