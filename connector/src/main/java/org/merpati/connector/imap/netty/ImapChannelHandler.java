package org.merpati.connector.imap.netty;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedStream;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

import org.merpati.connector.api.access.ImapListener;
import org.merpati.connector.endpoint.EndpointDispatcher;
import org.merpati.connector.imap.proto.FetchRenderer;
import org.merpati.connector.imap.proto.ImapConnection;
import org.merpati.connector.imap.proto.ImapSession;
import org.merpati.connector.imap.proto.ImapSessionConfig;
import org.merpati.connector.imap.proto.ImapTransport;
import org.merpati.connector.imap.proto.TransferDecoding;
import org.merpati.connector.imap.proto.UserConnectionLimiter;
import org.merpati.connector.netty.ListenerShutdown;
import org.merpati.connector.spool.SpoolDirectory;

/**
 * One IMAP connection: the adapter between a Netty channel and an {@link ImapSession}. Everything here runs on
 * the channel's event loop. Message bodies are written as {@link ChunkedNioFile} / {@link ChunkedStream}
 * through the {@code ChunkedWriteHandler} ahead of this handler, so they are read a chunk at a time as the
 * socket drains, never whole, and also under TLS (where a zero-copy FileRegion cannot be used).
 */
final class ImapChannelHandler extends ChannelInboundHandlerAdapter implements ImapTransport {

    private static final Logger LOG = Logger.getLogger(ImapChannelHandler.class.getName());
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String ID_PREFIX = "imap-" + Long.toString(System.currentTimeMillis(), 36);
    private static final int CHUNK = 16 * 1024;

    private final ImapSessionConfig config;
    private final EndpointDispatcher<? extends ImapListener> dispatcher;
    private final SpoolDirectory spool;
    private final UserConnectionLimiter userLimiter;
    private final SslContext startTlsContext;
    private final boolean implicitTls;
    private final int authenticatedIdleSeconds;
    private ChannelHandlerContext ctx;
    private ImapSession session;

    ImapChannelHandler(ImapSessionConfig config, EndpointDispatcher<? extends ImapListener> dispatcher, SpoolDirectory spool,
                       UserConnectionLimiter userLimiter, SslContext startTlsContext, boolean implicitTls,
                       int authenticatedIdleSeconds) {
        this.config = config;
        this.dispatcher = dispatcher;
        this.spool = spool;
        this.userLimiter = userLimiter;
        this.startTlsContext = startTlsContext;
        this.implicitTls = implicitTls;
        this.authenticatedIdleSeconds = authenticatedIdleSeconds;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        ImapConnection connection = new ImapConnection(ID_PREFIX + "-" + SEQUENCE.incrementAndGet(),
            remote.getAddress().getHostAddress(), remote.getPort(), local.getAddress().getHostAddress(), local.getPort());
        session = new ImapSession(config, connection, this, dispatcher, spool, userLimiter);
        if (!implicitTls) {
            session.start();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (session != null && msg instanceof ByteBuf buf) {
                // a copy: the session keeps pipelined bytes across reads while a command runs
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
        LOG.log(Level.FINE, "closing IMAP connection from " + ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    // ---------------------------------------------------------------- ImapTransport

    @Override
    public void write(byte[] bytes) {
        ctx.write(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public void writeFile(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            ctx.write(new ChunkedNioFile(channel, offset, length, CHUNK));
        } catch (IOException e) {
            // the literal length is already promised: the connection cannot continue in step
            LOG.log(Level.WARNING, "cannot read stored message " + file, e);
            ctx.close();
        }
    }

    @Override
    public void writeDecoded(Path file, long offset, long rawLength, String encoding, long skip, long length) {
        try {
            InputStream decoded = TransferDecoding.decode(FetchRenderer.openRange(file, offset, rawLength), encoding);
            ctx.write(new ChunkedStream(new ExactLengthStream(decoded, skip, length), CHUNK));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot read stored message " + file, e);
            ctx.close();
        }
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void flush(Runnable whenSent) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> whenSent.run());
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
        ctx.executor().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void execute(Runnable task) {
        ctx.executor().execute(task);
    }

    @Override
    public void startTls() {
        // the tagged OK is flushed: from here every byte goes through TLS, and clear text the client pipelined
        // after STARTTLS reaches the TLS handler as garbage, not as commands
        ctx.pipeline().addFirst("starttls", startTlsContext.newHandler(ctx.alloc()));
    }

    @Override
    public void startCompression() {
        ctx.pipeline().addBefore("idle", "deflate", new DeflateCodec());
    }

    @Override
    public void authenticated() {
        if (ctx.pipeline().get("idle") != null) {
            ctx.pipeline().replace("idle", "idle", new IdleStateHandler(0, 0, authenticatedIdleSeconds, TimeUnit.SECONDS));
        }
    }

    @Override
    public void close() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Skips {@code skip} bytes, then yields exactly {@code length}: padded with spaces if the file turned out
     * shorter, because the literal length has already been sent.
     */
    private static final class ExactLengthStream extends InputStream {
        private final InputStream in;
        private long toSkip;
        private long left;

        ExactLengthStream(InputStream in, long skip, long length) {
            this.in = in;
            this.toSkip = skip;
            this.left = length;
        }

        private void skipFirst() throws IOException {
            while (toSkip > 0) {
                long s = in.skip(toSkip);
                if (s <= 0) {
                    if (in.read() < 0) {
                        toSkip = 0;
                        return;
                    }
                    s = 1;
                }
                toSkip -= s;
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            skipFirst();
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) ' ');
            }
            left -= n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, left);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
