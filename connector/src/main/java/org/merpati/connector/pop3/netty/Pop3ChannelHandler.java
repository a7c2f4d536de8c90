package org.merpati.connector.pop3.netty;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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

import org.merpati.connector.api.access.Pop3Listener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.netty.ListenerShutdown;
import org.merpati.connector.pop3.proto.MessageStream;
import org.merpati.connector.pop3.proto.Pop3Session;
import org.merpati.connector.pop3.proto.Pop3SessionConfig;
import org.merpati.connector.pop3.proto.Pop3Transport;
import org.merpati.connector.smtp.proto.ConnectionInfo;

/**
 * One POP3 connection: the adapter between a Netty channel and a {@link Pop3Session}. Everything here runs on
 * the channel's event loop, including listener results, stream completions and failed-login delays.
 */
final class Pop3ChannelHandler extends ChannelInboundHandlerAdapter implements Pop3Transport {

    private static final Logger LOG = Logger.getLogger(Pop3ChannelHandler.class.getName());
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String ID_PREFIX = "pop3-" + Long.toString(System.currentTimeMillis(), 36);

    private final Pop3SessionConfig config;
    private final EndpointDispatcher<? extends Pop3Listener> dispatcher;
    private final SslContext startTlsContext;
    private final boolean implicitTls;
    private ChannelHandlerContext ctx;
    private Pop3Session session;
    /** Between the +OK to STLS and the TLS handler being in place: clear text read now is dropped. */
    private boolean tlsStarting;

    /**
     * @param startTlsContext the context for STLS, or null when STLS is not offered
     * @param implicitTls     whether a TLS handler sits in front (the greeting waits for the handshake)
     */
    Pop3ChannelHandler(Pop3SessionConfig config, EndpointDispatcher<? extends Pop3Listener> dispatcher,
                       SslContext startTlsContext, boolean implicitTls) {
        this.config = config;
        this.dispatcher = dispatcher;
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
        session = new Pop3Session(config, info, this, dispatcher, ctx.channel().eventLoop());
        if (!implicitTls) {
            session.start();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (session != null && !tlsStarting && msg instanceof ByteBuf buf) {
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
        LOG.log(Level.FINE, "closing POP3 connection from " + ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    // ---------------------------------------------------------------- Pop3Transport

    @Override
    public void write(String text) {
        ctx.write(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
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
    public void send(MessageStream body, Consumer<Boolean> whenDone) {
        ctx.writeAndFlush(new MessageChunkedInput(body)).addListener(done -> {
            if (!done.isSuccess()) {
                LOG.log(Level.FINE, "message stream to " + ctx.channel().remoteAddress() + " failed", done.cause());
                try {
                    body.close(); // the handler closes it too; closing twice is harmless
                } catch (java.io.IOException e) {
                    LOG.log(Level.FINE, "closing message file", e);
                }
            }
            whenDone.accept(done.isSuccess()); // write futures complete on the channel's event loop
        });
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
        // the TLS handler goes in only once the +OK has left in clear text; the client sends its handshake only
        // after reading it, so anything arriving before is clear text pipelined after STLS, to be dropped
        tlsStarting = true;
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (written.isSuccess()) {
                ctx.pipeline().addFirst("starttls", startTlsContext.newHandler(ctx.alloc()));
                tlsStarting = false;
            } else {
                ctx.close();
            }
        });
    }

    @Override
    public void close() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void abort() {
        ctx.close();
    }
}
