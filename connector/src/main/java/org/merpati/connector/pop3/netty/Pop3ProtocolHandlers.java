package org.merpati.connector.pop3.netty;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;

import org.merpati.connector.api.access.Pop3Listener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.netty.ProtocolHandlers;
import org.merpati.connector.netty.TlsMode;
import org.merpati.connector.pop3.proto.Pop3SessionConfig;

/** Plugs POP3 into a {@link org.merpati.connector.netty.NettyListener}. */
public final class Pop3ProtocolHandlers implements ProtocolHandlers {

    private final Pop3SessionConfig config;
    private final TlsMode tlsMode;
    private final EndpointDispatcher<? extends Pop3Listener> dispatcher;

    public Pop3ProtocolHandlers(Pop3SessionConfig config, TlsMode tlsMode, EndpointDispatcher<? extends Pop3Listener> dispatcher) {
        if (config.startTlsAvailable() != (tlsMode == TlsMode.STARTTLS)) {
            throw new IllegalArgumentException("STLS offered in the session config but TLS mode is " + tlsMode);
        }
        this.config = config;
        this.tlsMode = tlsMode;
        this.dispatcher = dispatcher;
    }

    @Override
    public void addTo(ChannelPipeline pipeline, SslContext sslContext) {
        // before the protocol handler, so its writes (replies and message bodies alike) pass through in order
        pipeline.addLast("chunked", new ChunkedWriteHandler());
        pipeline.addLast("pop3", new Pop3ChannelHandler(config, dispatcher,
            tlsMode == TlsMode.STARTTLS ? sslContext : null, tlsMode == TlsMode.IMPLICIT));
    }

    @Override
    public String tooManyConnectionsReply() {
        return "-ERR [SYS/TEMP] " + config.serverName() + " too many connections, try again later\r\n";
    }
}
