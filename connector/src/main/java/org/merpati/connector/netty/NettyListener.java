package org.merpati.connector.netty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * One bound server socket: the shared pipeline head (limits, implicit TLS, idle detection) followed by a
 * protocol's handlers. Started and stopped by the resource adapter once per endpoint activation.
 */
public final class NettyListener {

    private static final Logger LOG = Logger.getLogger(NettyListener.class.getName());
    private static final long STOP_GRACE_SECONDS = 5;

    private final ListenerSettings settings;
    private final NettyEventLoops loops;
    private final SslContext sslContext;
    private final ProtocolHandlers protocol;
    private final ConnectionLimiter limiter;
    private final ChannelGroup connections;
    private Channel serverChannel;

    /** @param sslContext required unless the TLS mode is NONE */
    public NettyListener(ListenerSettings settings, NettyEventLoops loops, SslContext sslContext, ProtocolHandlers protocol) {
        if (settings.tlsMode() != TlsMode.NONE && sslContext == null) {
            throw new IllegalArgumentException(settings.tlsMode() + " needs a TLS context");
        }
        this.settings = settings;
        this.loops = loops;
        this.sslContext = sslContext;
        this.protocol = protocol;
        // the group's futures run on one of our loops: Netty's GlobalEventExecutor would start an unmanaged thread
        this.connections = new DefaultChannelGroup(settings.protocol() + "-connections", loops.group().next());
        // before an implicit handshake, a clear text "421" would only confuse the client's TLS stack
        this.limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerIp(),
            settings.tlsMode() == TlsMode.IMPLICIT ? null : protocol.tooManyConnectionsReply());
    }

    /** Binds; blocks until bound. @return the bound address (useful with port 0) */
    public synchronized InetSocketAddress start() throws IOException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(loops.group())
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    connections.add(ch);
                    ChannelPipeline p = ch.pipeline();
                    p.addLast("limits", limiter);
                    if (settings.tlsMode() == TlsMode.IMPLICIT) {
                        p.addLast("tls", sslContext.newHandler(ch.alloc()));
                    }
                    // all-idle: our own replies count as activity, so a slow endpoint call does not make the
                    // client look idle the moment its reply is written
                    p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutSeconds(), TimeUnit.SECONDS));
                    protocol.addTo(p, sslContext);
                }
            });
        ChannelFuture bind = bootstrap.bind(settings.bindAddress(), settings.port()).awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new IOException("cannot bind " + settings.protocol() + " to " + settings.bindAddress() + ":" + settings.port()
                + ": " + bind.cause().getMessage(), bind.cause());
        }
        serverChannel = bind.channel();
        InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
        LOG.info("Merpati " + settings.protocol() + " listening on " + settings.bindAddress() + ":" + bound.getPort()
            + " (" + settings.tlsMode() + ")");
        return bound;
    }

    /**
     * Unbinds (the port is free when this returns), lets every open connection say goodbye, then closes what
     * is left.
     */
    public synchronized void stop() {
        if (serverChannel == null) {
            return;
        }
        serverChannel.close().awaitUninterruptibly(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        for (Channel ch : connections) {
            try {
                ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(ListenerShutdown.INSTANCE));
            } catch (RejectedExecutionException e) {
                ch.close(); // its loop is already shutting down: no goodbye possible
            }
        }
        connections.newCloseFuture().awaitUninterruptibly(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        LOG.info("Merpati " + settings.protocol() + " stopped listening on " + settings.bindAddress() + ":" + settings.port());
        serverChannel = null;
    }

    public ListenerSettings settings() {
        return settings;
    }

    /** Open connections now. */
    public int openConnections() {
        return limiter.openConnections();
    }
}
