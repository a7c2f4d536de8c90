package org.merpati.connector.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Counts open connections of one listener, in total and per client address, and turns away the connection
 * that would exceed either limit before any protocol handler sees it. One instance per listener, shared by
 * its channels.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(ConnectionLimiter.class.getName());
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf(ConnectionLimiter.class, "counted");
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf(ConnectionLimiter.class, "refused");

    private final int maxTotal;
    private final int maxPerAddress;
    private final String refusal;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    /** @param refusal text written before closing a refused connection, or null */
    public ConnectionLimiter(int maxTotal, int maxPerAddress, String refusal) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.refusal = refusal;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        AtomicInteger mine = perAddress.compute(address, (a, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            c.incrementAndGet();
            return c;
        });
        ctx.channel().attr(COUNTED).set(address);
        boolean overTotal = total.incrementAndGet() > maxTotal;
        if (overTotal || mine.get() > maxPerAddress) {
            ctx.channel().attr(REFUSED).set(Boolean.TRUE);
            LOG.fine(() -> "refusing connection from " + address + (overTotal ? ": listener full" : ": too many from this address"));
            if (refusal != null) {
                ctx.writeAndFlush(Unpooled.copiedBuffer(refusal, StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
            return; // the protocol never hears of this connection
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ctx.channel().hasAttr(REFUSED)) {
            io.netty.util.ReferenceCountUtil.release(msg); // a refused client gets nothing read
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            total.decrementAndGet();
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() == 0 ? null : n);
        }
        if (!ctx.channel().hasAttr(REFUSED)) {
            ctx.fireChannelInactive();
        }
    }

    /** Open connections now (for tests and monitoring). */
    public int openConnections() {
        return total.get();
    }
}
