package org.merpati.connector.imap.netty;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;

import org.merpati.connector.api.access.ImapListener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.imap.proto.ImapSessionConfig;
import org.merpati.connector.imap.proto.UserConnectionLimiter;
import org.merpati.connector.netty.ProtocolHandlers;
import org.merpati.connector.netty.TlsMode;
import org.merpati.connector.spool.SpoolDirectory;

/** Plugs IMAP into a {@link org.merpati.connector.netty.NettyListener}. */
public final class ImapProtocolHandlers implements ProtocolHandlers {

    private final ImapSessionConfig config;
    private final TlsMode tlsMode;
    private final EndpointDispatcher<? extends ImapListener> dispatcher;
    private final SpoolDirectory spool;
    private final UserConnectionLimiter userLimiter;
    private final int authenticatedIdleSeconds;

    /**
     * @param maxConnectionsPerUser    authenticated connections at most per user on this listener
     * @param authenticatedIdleSeconds idle timeout once authenticated (also bounds IDLE)
     */
    public ImapProtocolHandlers(ImapSessionConfig config, TlsMode tlsMode, EndpointDispatcher<? extends ImapListener> dispatcher,
                                SpoolDirectory spool, int maxConnectionsPerUser, int authenticatedIdleSeconds) {
        if (config.startTlsAvailable() != (tlsMode == TlsMode.STARTTLS) || config.implicitTls() != (tlsMode == TlsMode.IMPLICIT)) {
            throw new IllegalArgumentException("session config does not match TLS mode " + tlsMode);
        }
        this.config = config;
        this.tlsMode = tlsMode;
        this.dispatcher = dispatcher;
        this.spool = spool;
        this.userLimiter = new UserConnectionLimiter(maxConnectionsPerUser);
        this.authenticatedIdleSeconds = authenticatedIdleSeconds;
    }

    @Override
    public void addTo(ChannelPipeline pipeline, SslContext sslContext) {
        pipeline.addLast("chunked", new ChunkedWriteHandler());
        pipeline.addLast("imap", new ImapChannelHandler(config, dispatcher, spool, userLimiter,
            tlsMode == TlsMode.STARTTLS ? sslContext : null, tlsMode == TlsMode.IMPLICIT, authenticatedIdleSeconds));
    }

    @Override
    public String tooManyConnectionsReply() {
        return "* BYE too many connections, try again later\r\n";
    }
}
