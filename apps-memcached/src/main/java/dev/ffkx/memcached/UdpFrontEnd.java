package dev.ffkx.memcached;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/**
 * The UDP slow path: datagrams the XDP program passed up. It speaks memcached's UDP framing: an
 * 8-byte header (request id, sequence number, datagram count, reserved) on every datagram, each
 * reply message split into datagrams of at most 1400 bytes, header included.
 */
final class UdpFrontEnd implements Runnable {
    private static final int HEADER = 8;
    private static final int MAX_DATAGRAM = 1400;

    private final DatagramChannel channel;
    private final MemcachedKernel kernel;
    private final SlowPathStats stats;

    UdpFrontEnd(DatagramChannel channel, MemcachedKernel kernel, SlowPathStats stats) {
        this.channel = channel;
        this.kernel = kernel;
        this.stats = stats;
    }

    static DatagramChannel bind(InetSocketAddress address) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.bind(address);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void run() {
        ByteBuffer in = ByteBuffer.allocate(65536);
        try {
            while (true) {
                in.clear();
                SocketAddress from = channel.receive(in);
                in.flip();
                // a request is one datagram: at least the header, and a datagram count of 1
                if (in.remaining() < HEADER || in.getShort(4) != 1) {
                    continue;
                }
                stats.udpRequests.increment();
                short requestId = in.getShort(0);
                TextSession session = new TextSession(kernel, stats, true);
                session.feed(in.array(), HEADER, in.remaining() - HEADER);
                session.process(message -> send(requestId, message, from));
            }
        } catch (ClosedChannelException e) {
            // closed by the offload: done
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("memcached UDP slow path", e);
        }
    }

    private void send(short requestId, byte[] message, SocketAddress to) {
        int chunk = MAX_DATAGRAM - HEADER;
        int count = (message.length + chunk - 1) / chunk;
        try {
            for (int seq = 0; seq < Math.max(count, 1); seq++) {
                int off = seq * chunk, len = Math.min(chunk, message.length - off);
                ByteBuffer out = ByteBuffer.allocate(HEADER + Math.max(len, 0));
                out.putShort(requestId).putShort((short) seq).putShort((short) count).putShort((short) 0);
                if (len > 0) {
                    out.put(message, off, len);
                }
                out.flip();
                channel.send(out, to);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("sending a memcached UDP reply", e);
        }
    }
}
