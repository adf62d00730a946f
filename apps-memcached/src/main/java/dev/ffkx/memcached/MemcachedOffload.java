package dev.ffkx.memcached;

import dev.ffkx.runtime.BpfException;
import dev.ffkx.runtime.Offload;
import dev.ffkx.runtime.XdpMode;
import dev.ffkx.runtime.features.FeatureProbe;
import dev.ffkx.runtime.heap.AllocatorStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ffkx --kmemcached}: the store loaded, XDP attached to the interface, and the slow path
 * listening on the port for TCP and for the UDP datagrams XDP passes up. Closing it detaches
 * everything; a killed process leaves nothing attached, since the XDP link dies with its fd.
 */
public final class MemcachedOffload implements Offload {
    /** How to run it. {@code itemLimit} is memcached's -I. */
    public record Options(int ifindex, int port, long heapBytes, long itemLimit, XdpMode xdpMode) {}

    private final Options options;
    private final MemcachedKernel kernel;
    private final DatagramChannel udp;
    private final ServerSocket tcp;
    private final SlowPathStats stats = new SlowPathStats();
    private final AtomicBoolean closed = new AtomicBoolean();
    private long lastOps;
    private long lastStatsAt = System.nanoTime();

    private MemcachedOffload(Options options, MemcachedKernel kernel, DatagramChannel udp, ServerSocket tcp) {
        this.options = options;
        this.kernel = kernel;
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Starts it; fails with a clear message on a missing kernel feature, a taken port or interface. */
    public static MemcachedOffload start(Options o) {
        FeatureProbe.require("bpf", "btf", "arena", "may_goto", "res_spin_lock");
        InetSocketAddress any = new InetSocketAddress(o.port());
        DatagramChannel udp = null;
        ServerSocket tcp = null;
        MemcachedKernel kernel = null;
        try {
            udp = UdpFrontEnd.bind(any);
            tcp = TcpFrontEnd.bind(any);
            kernel = MemcachedKernel.load(o.heapBytes(), o.port(), o.itemLimit());
            kernel.xdp().attachXdp(o.ifindex(), o.xdpMode());
            MemcachedOffload offload = new MemcachedOffload(o, kernel, udp, tcp);
            offload.startThreads();
            return offload;
        } catch (BindException e) {
            closeQuietly(udp, tcp, kernel);
            throw new IllegalStateException("port " + o.port() + " is already in use (another memcached or ffkx?)", e);
        } catch (IOException e) {
            closeQuietly(udp, tcp, kernel);
            throw new UncheckedIOException("binding port " + o.port(), e);
        } catch (BpfException | IllegalStateException e) {
            closeQuietly(udp, tcp, kernel);
            throw e;
        }
    }

    private void startThreads() {
        daemon(new UdpFrontEnd(udp, kernel, stats), "memcached-udp");
        daemon(new TcpFrontEnd(tcp, kernel, stats), "memcached-tcp-accept");
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public String readyLine() {
        return String.format("ready: memcached on port %d (TCP, UDP), XDP %s on ifindex %d, heap %d MiB, item limit %d bytes",
                options.port(), options.xdpMode().name().toLowerCase(), options.ifindex(),
                kernel.heap().size() >> 20, options.itemLimit());
    }

    /** ops/s since the last call, fast-path and slow-path counts, heap use, evictions. */
    @Override
    public synchronized String statsLine() {
        MemcachedKernel.Counters c = kernel.counters();
        long ops = c.udpFast() + c.udpSlow() + stats.tcpReads.sum();
        long now = System.nanoTime();
        double rate = (ops - lastOps) * 1e9 / Math.max(1, now - lastStatsAt);
        lastOps = ops;
        lastStatsAt = now;
        AllocatorStats heap = AllocatorStats.read(kernel.heap());
        long pages = kernel.heap().size() >> 12;
        double used = 100.0 * (pages - heap.untouchedPages() - heap.freeRunPages()) / pages;
        return String.format("stats: %.0f ops/s, udp fast %d, udp slow %d, tcp reads %d, items %d, heap %.1f%% used, evictions %d",
                rate, c.udpFast(), c.udpSlow(), stats.tcpReads.sum(), c.currItems(), used, c.evictions());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(udp, tcp, kernel);
        }
    }

    private static void closeQuietly(DatagramChannel udp, ServerSocket tcp, MemcachedKernel kernel) {
        try {
            if (udp != null) {
                udp.close();
            }
            if (tcp != null) {
                tcp.close();
            }
        } catch (IOException ignored) {
            // closing a socket that failed to open
        }
        if (kernel != null) {
            kernel.close();
        }
    }
}
