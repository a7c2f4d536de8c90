package org.merpati.connector.smtp.netty;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.SSLSession;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

import org.merpati.connector.api.MailDeliveryListener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.netty.ListenerShutdown;
import org.merpati.connector.smtp.proto.ConnectionInfo;
import org.merpati.connector.smtp.proto.SmtpSession;
import org.merpati.connector.smtp.proto.SmtpSessionConfig;
import org.merpati.connector.smtp.proto.SmtpTransport;
import org.merpati.connector.spool.SpoolDirectory;

/**
 * One SMTP or LMTP connection: the adapter between a Netty channel and an {@link SmtpSession}. Everything
 * here runs on the channel's event loop, including the listener results (the session resumes through the
 * event loop as its executor).
 */
final class SmtpChannelHandler extends ChannelInboundHandlerAdapter implements SmtpTransport {

    private static final Logger LOG = Logger.getLogger(SmtpChannelHandler.class.getName());
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String ID_PREFIX = Long.toString(System.currentTimeMillis(), 36);

    private final SmtpSessionConfig config;
    private final EndpointDispatcher<? extends MailDeliveryListener> dispatcher;
    private final SpoolDirectory spool;
    private final SslContext startTlsContext;
    private final boolean implicitTls;
    private ChannelHandlerContext ctx;
    private SmtpSession session;

    /**
     * @param startTlsContext the context for STARTTLS, or null when STARTTLS is not offered
     * @param implicitTls     whether a TLS handler sits in front (greeting waits for the handshake)
     */
    SmtpChannelHandler(SmtpSessionConfig config, EndpointDispatcher<? extends MailDeliveryListener> dispatcher,
                       SpoolDirectory spool, SslContext startTlsContext, boolean implicitTls) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.spool = spool;
        this.startTlsContext = startTlsContext;
        this.implicitTls = implicitTls;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        ConnectionInfo info = new ConnectionInfo(ID_PREFIX + "-" + SEQUENCE.incrementAndGet(),
            remote.getAddress().getHostAddress(), remote.getPort(), local.getAddress().getHostAddress(), local.getPort());
        session = new SmtpSession(config, info, this, dispatcher, ctx.channel().eventLoop(), spool);
        if (!implicitTls) {
            session.start();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (session != null && msg instanceof ByteBuf buf) {
                // a copy, because the session may keep pipelined bytes across reads while the listener works
                session.receive(ByteBuffer.wrap(ByteBufUtil.getBytes(buf)));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (session == null) {
            ctx.fireUserEventTriggered(evt);
        } else if (evt instanceof IdleStateEvent) {
            session.idle();
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                SSLSession tls = ctx.pipeline().get(SslHandler.class).engine().getSession();
                session.tlsStarted(tls.getProtocol(), tls.getCipherSuite());
                if (implicitTls) {
                    session.start();
                }
            } else {
                LOG.fine(() -> "TLS handshake failed with " + ctx.channel().remoteAddress() + ": " + handshake.cause());
                ctx.close();
            }
        } else if (evt == ListenerShutdown.INSTANCE) {
            session.shutdown();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            session.disconnected();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // connection resets and TLS garbage are the client's business; log quietly, never echo
        LOG.log(Level.FINE, "closing connection from " + ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    // ---------------------------------------------------------------- SmtpTransport

    @Override
    public void write(String text) {
        ctx.write(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void pauseInput() {
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void resumeInput() {
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void schedule(long delayMillis, Runnable task) {
        try {
            ctx.channel().eventLoop().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            ctx.close(); // the loop is shutting down with the listener
        }
    }

    @Override
    public void startTls() {
        // the 220 is already flushed, so it left in clear text; from here on every byte goes through TLS, and
        // any clear text the client pipelined after STARTTLS reaches the TLS handler as garbage, not as commands
        ctx.pipeline().addFirst("starttls", startTlsContext.newHandler(ctx.alloc()));
    }

    @Override
    public void close() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}
