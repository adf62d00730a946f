package dev.ffkx.memcached;

import dev.ffkx.runtime.BpfException;
import dev.ffkx.runtime.Offload;
import dev.ffkx.runtime.XdpMode;
import dev.ffkx.runtime.features.FeatureProbe;
import dev.ffkx.runtime.heap.AllocatorStats;
import dev.ffkx.runtime.stream.StreamException;
import dev.ffkx.runtime.stream.StreamOffloadServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ffkx --kmemcached}: the store loaded, XDP attached to the interface for UDP, the sk_skb
 * fast path in front of TCP, and the slow path on the port for what either passes up. Closing it
 * detaches everything; a killed process leaves nothing attached, since every link dies with its fd.
 */
public final class MemcachedOffload implements Offload {
    /** How to run it. {@code itemLimit} is memcached's -I. */
    public record Options(int ifindex, int port, long heapBytes, long itemLimit, XdpMode xdpMode) {}

    private static final int EADDRINUSE = 98;

    private final Options options;
    private final MemcachedKernel kernel;
    private final DatagramChannel udp;
    private final StreamOffloadServer tcp;
    private final SlowPathStats stats;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long lastOps;
    private long lastStatsAt = System.nanoTime();

    private MemcachedOffload(Options options, MemcachedKernel kernel, DatagramChannel udp, StreamOffloadServer tcp,
                             SlowPathStats stats) {
        this.options = options;
        this.kernel = kernel;
        this.udp = udp;
        this.tcp = tcp;
        this.stats = stats;
    }

    /** Starts it; fails with a clear message on a missing kernel feature, a taken port or interface. */
    public static MemcachedOffload start(Options o) {
        FeatureProbe.require("bpf", "btf", "arena", "may_goto", "res_spin_lock");
        DatagramChannel udp = null;
        StreamOffloadServer tcp = null;
        MemcachedKernel kernel = null;
        SlowPathStats stats = new SlowPathStats();
        try {
            udp = UdpFrontEnd.bind(new InetSocketAddress(o.port()));
            kernel = MemcachedKernel.load(o.heapBytes(), o.port(), o.itemLimit());
            MemcachedKernel k = kernel;
            tcp = kernel.serveTcp(o.port(), () -> new TextSession(k, stats, false));
            StreamOffloadServer server = tcp;
            stats.connections = () -> server.stats().connections();
            kernel.xdp().attachXdp(o.ifindex(), o.xdpMode());
            MemcachedOffload offload = new MemcachedOffload(o, kernel, udp, tcp, stats);
            daemon(new UdpFrontEnd(udp, kernel, stats), "memcached-udp");
            return offload;
        } catch (BindException e) {
            closeQuietly(udp, tcp, kernel);
            throw inUse(o.port(), e);
        } catch (StreamException e) {
            closeQuietly(udp, tcp, kernel);
            throw e.errno() == EADDRINUSE ? inUse(o.port(), e) : e;
        } catch (IOException e) {
            closeQuietly(udp, tcp, kernel);
            throw new UncheckedIOException("binding port " + o.port(), e);
        } catch (BpfException | IllegalStateException e) {
            closeQuietly(udp, tcp, kernel);
            throw e;
        }
    }

    private static IllegalStateException inUse(int port, Exception cause) {
        return new IllegalStateException("port " + port + " is already in use (another memcached or ffkx?)", cause);
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** The TCP server's counters: what its slow path answered, and what the kernel ran for it. */
    public StreamOffloadServer.Stats tcpStats() {
        return tcp.stats();
    }

    @Override
    public String readyLine() {
        return String.format("ready: memcached on port %d (TCP, UDP), XDP %s on ifindex %d, heap %d MiB, item limit %d bytes",
                options.port(), options.xdpMode().name().toLowerCase(), options.ifindex(),
                kernel.heap().size() >> 20, options.itemLimit());
    }

    /** User-space events/s since the last call (UDP datagrams up, TCP announcements and slow replies), fast-path counts, heap use, evictions. */
    @Override
    public synchronized String statsLine() {
        MemcachedKernel.Counters c = kernel.counters();
        StreamOffloadServer.Stats t = tcp.stats();
        long ops = c.udpFast() + c.udpSlow() + t.announcements() + t.slowCommands();
        long now = System.nanoTime();
        double rate = (ops - lastOps) * 1e9 / Math.max(1, now - lastStatsAt);
        lastOps = ops;
        lastStatsAt = now;
        AllocatorStats heap = AllocatorStats.read(kernel.heap());
        long pages = kernel.heap().size() >> 12;
        double used = 100.0 * (pages - heap.untouchedPages() - heap.freeRunPages()) / pages;
        return String.format("stats: %.0f user-space events/s, udp fast %d, udp slow %d, tcp passes %d (kernel-run %d, unannounced %d),"
                        + " tcp slow replies %d, items %d, heap %.1f%% used, evictions %d",
                rate, c.udpFast(), c.udpSlow(), t.announcements(), t.kernelDelivered(), t.unannounced(), t.slowCommands(),
                c.currItems(), used, c.evictions());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(udp, tcp, kernel);
        }
    }

    private static void closeQuietly(DatagramChannel udp, StreamOffloadServer tcp, MemcachedKernel kernel) {
        try {
            if (udp != null) {
                udp.close();
            }
        } catch (IOException ignored) {
            // closing a socket that failed to open
        }
        try {
            if (tcp != null) {
                tcp.close();
            }
        } finally {
            if (kernel != null) {
                kernel.close();
            }
        }
    }
}
