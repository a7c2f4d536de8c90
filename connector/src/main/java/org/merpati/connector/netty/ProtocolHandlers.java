package org.merpati.connector.netty;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;

/**
 * What a protocol adds to the shared pipeline. The listener has already put in the connection limiter, the
 * implicit TLS handler when configured, and an {@link io.netty.handler.timeout.IdleStateHandler} whose
 * {@link io.netty.handler.timeout.IdleStateEvent} the protocol answers in its own words.
 */
public interface ProtocolHandlers {

    /** Adds the protocol's handlers at the end of a new connection's pipeline. */
    void addTo(ChannelPipeline pipeline, SslContext sslContext);

    /** Clear text line sent before closing a connection over a limit (e.g. SMTP's 421), or null to just close. */
    String tooManyConnectionsReply();
}
