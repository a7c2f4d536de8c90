package org.merpati.connector.netty;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The event loop group all listeners of one resource adapter share: accepting and serving connections
 * both run here (they are cheap, and listener calls never run on these threads).
 */
public final class NettyEventLoops implements AutoCloseable {

    private final EventLoopGroup group;

    /**
     * @param threads  number of event loops
     * @param executor where the loops run (the WorkManager in the container, each loop one long-running task);
     *                 null for plain Netty threads (tests)
     */
    public NettyEventLoops(int threads, Executor executor) {
        this.group = executor == null
            ? new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("merpati-io", true), NioIoHandler.newFactory())
            : new MultiThreadIoEventLoopGroup(threads, executor, NioIoHandler.newFactory());
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Stops the loops; waits briefly so ports and threads are free when this returns. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
