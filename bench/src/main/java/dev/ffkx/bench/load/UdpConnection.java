package dev.ffkx.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * memcached over UDP. Each request carries memcached's 8-byte frame header (request id, sequence
 * number, datagram count, reserved); answers may come in any order and in several datagrams, and
 * may not come at all. A request unanswered after {@code --udp-timeout} is counted as a timeout;
 * an answer after that, or to no request, is counted as late.
 */
final class UdpConnection extends Connection {
    static final int FRAME_HEADER = 8;
    private static final int IDS = 1 << 16;

    private final Pending[] byId = new Pending[IDS];
    private final ArrayDeque<Pending> bySendTime = new ArrayDeque<>();
    private final long timeoutNanos;
    private int nextId;
    private ScheduledFuture<?> expiry;

    UdpConnection(LoadRun run, int index) {
        super(run, index);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(spec.udpTimeoutMillis());
    }

    @Override
    ChannelHandler handler() {
        return new Handler();
    }

    @Override
    ByteBuf newRequestBuffer() {
        ByteBuf buf = ctx.alloc().ioBuffer(FRAME_HEADER + 64 + spec.dataSize());
        buf.writeZero(FRAME_HEADER);
        return buf;
    }

    @Override
    void send(Pending p, ByteBuf request) {
        int id;
        do {
            id = nextId;
            nextId = (nextId + 1) & (IDS - 1);
        } while (byId[id] != null);
        p.requestId = id;
        byId[id] = p;
        bySendTime.add(p);
        request.setShort(0, id);
        request.setShort(2, 0);
        request.setShort(4, 1);
        request.setShort(6, 0);
        ctx.write(request, ctx.voidPromise());
    }

    @Override
    void finished() {
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    private void expire() {
        long now = System.nanoTime();
        while (!bySendTime.isEmpty()) {
            Pending p = bySendTime.peek();
            if (!p.done && now - p.sentNanos < timeoutNanos) {
                break;
            }
            bySendTime.poll();
            if (!p.done) {
                p.done = true;
                byId[p.requestId] = null;
                p.releaseParts();
                timedOut(p);
            }
        }
        fill();
    }

    private void complete(Pending p, ByteBuf payload, int bytesIn) {
        byId[p.requestId] = null;
        p.done = true;
        int next = Replies.memcached(payload, payload.readerIndex(), payload.writerIndex(), reply);
        if (next < 0) {
            reply.kind = Reply.Kind.ERROR;
            reply.errorLine = "an incomplete reply of " + payload.readableBytes() + " bytes";
        }
        answered(p, reply, payload, bytesIn);
    }

    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            attach(context);
            long period = Math.max(1, Math.min(50, spec.udpTimeoutMillis() / 4));
            expiry = context.executor().scheduleAtFixedRate(UdpConnection.this::expire, period, period, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, DatagramPacket packet) {
            ByteBuf c = packet.content();
            int start = c.readerIndex();
            int size = c.readableBytes();
            if (size < FRAME_HEADER) {
                tally.lateReplies++;
                return;
            }
            int id = c.getUnsignedShort(start);
            int seq = c.getUnsignedShort(start + 2);
            int total = c.getUnsignedShort(start + 4);
            Pending p = byId[id];
            if (p == null || total == 0 || seq >= total) {
                tally.lateReplies++;
                return;
            }
            if (total == 1) {
                complete(p, c.slice(start + FRAME_HEADER, size - FRAME_HEADER), size);
                return;
            }
            if (p.parts == null) {
                p.parts = new ByteBuf[total];
            }
            if (seq < p.parts.length && p.parts[seq] == null) {
                p.parts[seq] = c.retainedSlice(start + FRAME_HEADER, size - FRAME_HEADER);
                p.partsSeen++;
            }
            if (p.partsSeen == p.parts.length) {
                ByteBuf whole = Unpooled.wrappedBuffer(p.parts);
                p.parts = null;
                try {
                    complete(p, whole, whole.readableBytes() + total * FRAME_HEADER);
                } finally {
                    whole.release();
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            fill();
            context.fireChannelReadComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            failed("UDP socket to " + context.channel().remoteAddress() + " failed: " + TcpConnection.rootMessage(cause));
        }
    }
}
