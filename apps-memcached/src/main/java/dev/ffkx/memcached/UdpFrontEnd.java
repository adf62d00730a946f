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
    /** Datagrams answered per client, told to XDP so it keeps each client's datagrams in order. */
    private final java.util.Map<SocketAddress, Long> answered = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<SocketAddress, Long> eldest) {
            return size() > 65536;
        }
    };

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

    private record Datagram(ByteBuffer data, SocketAddress from) {}

    /** The end of the queue: the socket closed. */
    private static final Datagram CLOSED = new Datagram(ByteBuffer.allocate(0), null);

    private final java.util.concurrent.BlockingQueue<Datagram> queue = new java.util.concurrent.LinkedBlockingQueue<>();

    /**
     * Receives on this thread and serves, in arrival order, on another: a burst of large
     * datagrams would otherwise overflow the socket's buffer while one is being served.
     */
    @Override
    public void run() {
        Thread worker = new Thread(this::serveQueued, "memcached-udp-serve");
        worker.setDaemon(true);
        worker.start();
        try {
            while (true) {
                ByteBuffer in = ByteBuffer.allocate(65536);
                SocketAddress from = channel.receive(in);
                in.flip();
                queue.add(new Datagram(in, from));
            }
        } catch (ClosedChannelException e) {
            // closed by the offload: done
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("memcached UDP slow path", e);
        } finally {
            queue.add(CLOSED);
        }
    }

    private void serveQueued() {
        try {
            for (Datagram d = queue.take(); d != CLOSED; d = queue.take()) {
                try {
                    serve(d.data(), d.from());
                } finally {
                    tellXdp(d.from());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (channel.isOpen()) {
                throw e;
            }
        }
    }

    private void tellXdp(SocketAddress from) {
        if (from instanceof InetSocketAddress a && a.getAddress() instanceof java.net.Inet4Address v4) {
            long n = answered.merge(from, 1L, Long::sum);
            kernel.udpAnswered(v4.getAddress(), a.getPort(), n);
        }
    }

    private void serve(ByteBuffer in, SocketAddress from) {
        // a request is one datagram: at least the header, and a datagram count of 1
        if (in.remaining() < HEADER || in.getShort(4) != 1) {
            return;
        }
        stats.udpRequests.increment();
        short requestId = in.getShort(0);
        TextSession session = new TextSession(kernel, stats, true);
        session.feed(in.array(), HEADER, in.remaining() - HEADER);
        try {
            session.process(message -> send(requestId, message, from));
        } catch (RuntimeException e) {
            // one bad request must not stop the UDP slow path for everyone
            send(requestId, ("SERVER_ERROR " + e.getMessage() + "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), from);
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
