package dev.ffkx.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayDeque;
import java.util.List;

/** A TCP connection: answers come back in request order, so a queue matches them up. */
final class TcpConnection extends Connection {
    private final ArrayDeque<Pending> outstanding = new ArrayDeque<>();

    TcpConnection(LoadRun run, int index) {
        super(run, index);
    }

    @Override
    ChannelHandler handler() {
        return new Handler();
    }

    @Override
    ByteBuf newRequestBuffer() {
        return ctx.alloc().ioBuffer(64 + spec.dataSize());
    }

    @Override
    void send(Pending p, ByteBuf request) {
        outstanding.add(p);
        ctx.write(request, ctx.voidPromise());
    }

    private final class Handler extends ByteToMessageDecoder {
        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            attach(context);
        }

        @Override
        protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
            int pos = in.readerIndex();
            int end = in.writerIndex();
            while (pos < end) {
                Pending p = outstanding.peek();
                if (p == null) {
                    throw new Replies.ProtocolException("the server sent " + (end - pos) + " bytes that answer no request");
                }
                int next = Replies.parse(spec.protocol(), in, pos, end, reply);
                if (next < 0) {
                    break;
                }
                outstanding.poll();
                answered(p, reply, in, next - pos);
                pos = next;
            }
            in.readerIndex(pos);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) throws Exception {
            super.channelReadComplete(context);
            fill();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) throws Exception {
            failed("the server closed a connection with " + inFlight + " requests outstanding");
            super.channelInactive(context);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            failed("connection to " + context.channel().remoteAddress() + " failed: " + rootMessage(cause));
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
