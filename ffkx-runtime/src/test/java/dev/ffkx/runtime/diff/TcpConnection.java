package dev.ffkx.runtime.diff;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

/**
 * One non-blocking TCP connection to a server. It writes a request in pieces cut at random
 * places, with TCP_NODELAY and a short pause between pieces so that the server really reads a
 * partial command, and keeps reading replies while it writes: a deep pipeline of large values
 * would otherwise fill both socket buffers and stall.
 */
public final class TcpConnection implements AutoCloseable {
    /** How a wait for replies ended. */
    public enum Outcome { DONE, EOF, TIMEOUT }

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    private byte[] in = new byte[64 * 1024];
    private int inLength;
    private boolean eof;

    private TcpConnection(SocketChannel channel, Selector selector) throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.key = channel.register(selector, SelectionKey.OP_READ);
    }

    public static TcpConnection open(String host, int port) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(new InetSocketAddress(host, port), 5000);
            ch.configureBlocking(false);
            return new TcpConnection(ch, Selector.open());
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Sends all of {@code request}, in up to five pieces (sometimes byte by byte at the start). */
    public void send(byte[] request, Random rnd) throws IOException {
        int[] cuts = cuts(request.length, rnd);
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : request.length;
            write(ByteBuffer.wrap(request, from, to - from));
            from = to;
            if (i < cuts.length) {
                drain();
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(rnd.nextInt(150)));
            }
        }
    }

    private static int[] cuts(int length, Random rnd) {
        if (length < 2) {
            return new int[0];
        }
        if (rnd.nextInt(20) == 0) {
            int n = Math.min(length - 1, 1 + rnd.nextInt(12));
            int[] bytewise = new int[n];
            for (int i = 0; i < n; i++) {
                bytewise[i] = i + 1;
            }
            return bytewise;
        }
        return rnd.ints(rnd.nextInt(5), 1, length).sorted().distinct().toArray();
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.write(b) == 0) {
                // The server is not reading, likely because our receive buffer is full: read.
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                selector.select(1000);
                selector.selectedKeys().clear();
                drain();
                key.interestOps(SelectionKey.OP_READ);
            }
        }
    }

    /**
     * Reads until {@code done} holds for the number of bytes received so far, the server closes
     * the connection, or the timeout passes.
     */
    public Outcome await(IntPredicate done, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            if (done.test(inLength)) {
                return Outcome.DONE;
            }
            if (eof) {
                return Outcome.EOF;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return Outcome.TIMEOUT;
            }
            selector.select(left);
            selector.selectedKeys().clear();
            drain();
        }
    }

    private void drain() throws IOException {
        int n;
        while (!eof && (n = readChunk()) != 0) {
            if (n < 0) {
                eof = true;
            }
        }
    }

    private int readChunk() throws IOException {
        chunk.clear();
        int n;
        try {
            n = channel.read(chunk);
        } catch (IOException reset) {
            return -1; // a reset is as final as a close
        }
        if (n > 0) {
            if (inLength + n > in.length) {
                in = Arrays.copyOf(in, Math.max(in.length * 2, inLength + n));
            }
            System.arraycopy(chunk.array(), 0, in, inLength, n);
            inLength += n;
        }
        return n;
    }

    /** The bytes received and not yet {@linkplain #consume consumed}; valid until the next read. */
    public byte[] received() {
        return in;
    }

    public int receivedLength() {
        return inLength;
    }

    /** Drops the first {@code n} received bytes. */
    public void consume(int n) {
        System.arraycopy(in, n, in, 0, inLength - n);
        inLength -= n;
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
