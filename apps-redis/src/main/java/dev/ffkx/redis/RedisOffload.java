package dev.ffkx.redis;

import dev.ffkx.redis.zset.ZsetSlowPath;
import dev.ffkx.runtime.BpfException;
import dev.ffkx.runtime.Offload;
import dev.ffkx.runtime.features.FeatureProbe;
import dev.ffkx.runtime.heap.AllocatorStats;
import dev.ffkx.runtime.stream.ReadSignal;
import dev.ffkx.runtime.stream.StreamException;
import dev.ffkx.runtime.stream.StreamOffloadServer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ffkx --kmemcache} and {@code ffkx --kredis}: the keyspace loaded, the sk_skb fast path
 * attached, and the slow path serving the port. Closing it detaches everything; a killed process
 * leaves nothing attached, since the links die with their fds.
 */
public final class RedisOffload implements Offload {
    /** Redis' proto-max-bulk-len is 512 MB; the framer refuses arguments above this, as Redis does above its own. */
    public static final long DEFAULT_MAX_BULK = 512L << 20;
    /** The largest string value stored (through the slow path); Redis' own limit is proto-max-bulk-len. */
    public static final long DEFAULT_MAX_VALUE = 16L << 20;

    /**
     * How to run it. {@code sortedSets}: serve the Z* commands too (--kredis); without them
     * (--kmemcache) they get Redis' unknown-command error, as from a Redis that lacks them.
     * {@code address}: where to listen ("0.0.0.0" for every interface).
     */
    public record Options(String address, int port, long heapBytes, boolean sortedSets) {}

    private final Options options;
    private final RedisKernel kernel;
    private final RedisSlowPath slowPath;
    private final StreamOffloadServer server;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long lastOps;
    private long lastStatsAt = System.nanoTime();

    private RedisOffload(Options options, RedisKernel kernel, RedisSlowPath slowPath, StreamOffloadServer server) {
        this.options = options;
        this.kernel = kernel;
        this.slowPath = slowPath;
        this.server = server;
    }

    /** Starts it; fails with a clear message on a missing kernel feature or a taken port. */
    public static RedisOffload start(Options o) {
        FeatureProbe.require("bpf", "btf", "arena", "may_goto", "res_spin_lock");
        RedisKernel kernel = RedisKernel.load(o.heapBytes(), o.sortedSets());
        try {
            RedisOffload[] self = new RedisOffload[1];
            RedisSlowPath slowPath = new RedisSlowPath(kernel,
                    o.sortedSets() ? new ZsetSlowPath()::execute : null, DEFAULT_MAX_BULK, DEFAULT_MAX_VALUE, o.port(),
                    () -> self[0] == null ? "" : self[0].ffkxInfo());
            StreamOffloadServer server;
            try {
                server = StreamOffloadServer.start(kernel.object(), kernel.verdict(), o.address(), o.port(),
                        () -> new RedisSession(slowPath), ReadSignal.RING_BUFFER);
            } catch (StreamException e) {
                if (e.getMessage() != null && e.getMessage().contains("Address already in use")) {
                    throw new IllegalStateException("port " + o.port()
                            + " is already in use (another redis-server or ffkx?)", e);
                }
                throw e;
            }
            self[0] = new RedisOffload(o, kernel, slowPath, server);
            return self[0];
        } catch (BpfException | IllegalStateException | StreamException e) {
            kernel.close();
            throw e;
        }
    }

    /** The port served (the one asked for, or the free one picked for port 0). */
    public int port() {
        return server.port();
    }

    @Override
    public String readyLine() {
        return String.format("ready: redis on %s:%d (TCP, sk_skb fast path), %s, heap %d MiB", options.address(),
                port(), options.sortedSets() ? "strings and sorted sets" : "strings",
                kernel.heap().size() >> 20);
    }

    /** ops/s since the last call, commands answered in the kernel and in Java, keys, heap use, passes the ring buffer had no room to announce. */
    @Override
    public synchronized String statsLine() {
        RedisKernel.Counters c = kernel.counters();
        long slow = slowPath.commands.sum();
        long ops = c.fastCommands() + slow;
        long now = System.nanoTime();
        double rate = (ops - lastOps) * 1e9 / Math.max(1, now - lastStatsAt);
        lastOps = ops;
        lastStatsAt = now;
        return String.format("stats: %.0f ops/s, kernel %d, slow path %d, keys %d, heap %.1f%% used, oom %d,"
                        + " unannounced passes %d",
                rate, c.fastCommands(), slow, c.keys(), heapUsedPercent(), c.oom(), server.stats().unannounced());
    }

    private double heapUsedPercent() {
        AllocatorStats heap = AllocatorStats.read(kernel.heap());
        long pages = kernel.heap().size() >> 12;
        return 100.0 * (pages - heap.untouchedPages() - heap.freeRunPages()) / pages;
    }

    /** INFO's ffkx section: where commands were answered, and the keyspace's counters. */
    private String ffkxInfo() {
        RedisKernel.Counters c = kernel.counters();
        StreamOffloadServer.Stats s = server.stats();
        return "kernel_commands:" + c.fastCommands() + "\r\nslow_path_commands:" + slowPath.commands.sum()
                + "\r\nslow_path_kernel_runs:" + slowPath.kernelRuns.sum() + "\r\nslow_path_wakeups:" + s.wakeups()
                + "\r\nunannounced_passes:" + s.unannounced() + "\r\nconnections:" + s.connections() + "\r\nheap_bytes:" + kernel.heap().size()
                + String.format("\r\nheap_used_percent:%.1f", heapUsedPercent()) + "\r\noom_refusals:" + c.oom() + "\r\n";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                server.close();
            } finally {
                kernel.close();
            }
        }
    }
}
