package org.merpati.connector.smtp.netty;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;

import org.merpati.connector.api.MailDeliveryListener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.netty.ProtocolHandlers;
import org.merpati.connector.netty.TlsMode;
import org.merpati.connector.smtp.proto.SmtpSessionConfig;
import org.merpati.connector.spool.SpoolDirectory;

/** Plugs SMTP or LMTP into a {@link org.merpati.connector.netty.NettyListener}. */
public final class SmtpProtocolHandlers implements ProtocolHandlers {

    private final SmtpSessionConfig config;
    private final TlsMode tlsMode;
    private final EndpointDispatcher<? extends MailDeliveryListener> dispatcher;
    private final SpoolDirectory spool;

    public SmtpProtocolHandlers(SmtpSessionConfig config, TlsMode tlsMode,
                                EndpointDispatcher<? extends MailDeliveryListener> dispatcher, SpoolDirectory spool) {
        if (config.startTlsAvailable() != (tlsMode == TlsMode.STARTTLS)) {
            throw new IllegalArgumentException("STARTTLS offered in the session config but TLS mode is " + tlsMode);
        }
        this.config = config;
        this.tlsMode = tlsMode;
        this.dispatcher = dispatcher;
        this.spool = spool;
    }

    @Override
    public void addTo(ChannelPipeline pipeline, SslContext sslContext) {
        pipeline.addLast("smtp", new SmtpChannelHandler(config, dispatcher, spool,
            tlsMode == TlsMode.STARTTLS ? sslContext : null, tlsMode == TlsMode.IMPLICIT));
    }

    @Override
    public String tooManyConnectionsReply() {
        return "421 4.7.0 " + config.serverName() + " too many connections, try again later\r\n";
    }
}
