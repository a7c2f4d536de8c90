package org.merpati.connector.pop3.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

import org.merpati.connector.pop3.proto.MessageStream;

/**
 * A {@link MessageStream} as Netty chunked input: the {@link io.netty.handler.stream.ChunkedWriteHandler} pulls
 * the next chunk only while the channel is writable, so a slow reader holds back the file reads.
 */
final class MessageChunkedInput implements ChunkedInput<ByteBuf> {

    private final MessageStream stream;

    MessageChunkedInput(MessageStream stream) {
        this.stream = stream;
    }

    @Override
    public boolean isEndOfInput() {
        return stream.isEnded();
    }

    @Override
    public void close() throws Exception {
        stream.close();
    }

    @Deprecated
    @Override
    public ByteBuf readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
        byte[] chunk = stream.next();
        return chunk == null ? null : Unpooled.wrappedBuffer(chunk);
    }

    @Override
    public long length() {
        return -1; // byte-stuffing makes the length known only at the end
    }

    @Override
    public long progress() {
        return stream.produced();
    }
}
