package org.merpati.connector.imap.netty;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * COMPRESS=DEFLATE (RFC 4978): raw DEFLATE (RFC 1951, no zlib header) in both directions, with the JDK's
 * {@link Deflater}/{@link Inflater} so no extra Netty module is needed. Every write is sync-flushed, so a
 * response never waits in the compressor.
 */
final class DeflateCodec extends ChannelDuplexHandler {

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);
    private final byte[] buffer = new byte[16 * 1024];

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            byte[] input = new byte[in.readableBytes()];
            in.readBytes(input);
            inflater.setInput(input);
            ByteBuf out = ctx.alloc().buffer();
            try {
                while (true) {
                    int n = inflater.inflate(buffer);
                    if (n > 0) {
                        out.writeBytes(buffer, 0, n);
                    } else if (inflater.needsInput() || inflater.finished() || inflater.needsDictionary()) {
                        break;
                    }
                }
            } catch (DataFormatException e) {
                out.release();
                ctx.close();
                return;
            }
            if (out.isReadable()) {
                ctx.fireChannelRead(out);
            } else {
                out.release();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.write(msg, promise);
            return;
        }
        try {
            byte[] input = new byte[in.readableBytes()];
            in.readBytes(input);
            deflater.setInput(input);
            ByteBuf out = ctx.alloc().buffer();
            int n;
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.writeBytes(buffer, 0, n);
            } while (n == buffer.length || !deflater.needsInput());
            ctx.write(out, promise);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deflater.end();
        inflater.end();
    }
}
