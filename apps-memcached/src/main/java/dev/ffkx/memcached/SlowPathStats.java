package dev.ffkx.memcached;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** What the Java slow path counts, and memcached's "stats" reply built from it and the kernel's counters. */
final class SlowPathStats {
    final LongAdder udpRequests = new LongAdder();
    final LongAdder tcpReads = new LongAdder();
    /** Open TCP connections, as the server that owns them counts them. */
    volatile IntSupplier connections = () -> 0;
    final LongAdder tooLarge = new LongAdder();
    final LongAdder declined = new LongAdder();
    private final long started = System.currentTimeMillis() / 1000;

    String render(MemcachedKernel kernel) {
        MemcachedKernel.Counters c = kernel.counters();
        long now = System.currentTimeMillis() / 1000;
        StringBuilder sb = new StringBuilder();
        stat(sb, "pid", ProcessHandle.current().pid());
        stat(sb, "uptime", now - started);
        stat(sb, "time", now);
        sb.append("STAT version 1.6.18-ffkx\r\n");
        stat(sb, "curr_connections", connections.getAsInt());
        stat(sb, "curr_items", c.currItems());
        stat(sb, "total_items", c.totalItems());
        stat(sb, "evictions", c.evictions());
        stat(sb, "reclaimed", c.reclaimed());
        stat(sb, "limit_maxbytes", kernel.heap().size());
        stat(sb, "item_size_max", kernel.itemLimit());
        stat(sb, "ffkx_udp_fast", c.udpFast());
        stat(sb, "ffkx_udp_slow", c.udpSlow());
        stat(sb, "ffkx_udp_slow_frame", c.slowFrame());
        stat(sb, "ffkx_udp_slow_order", c.slowOrder());
        stat(sb, "ffkx_udp_slow_parse", c.slowParse());
        stat(sb, "ffkx_udp_slow_exec", c.slowExec());
        stat(sb, "ffkx_slow_udp_requests", udpRequests.sum());
        stat(sb, "ffkx_slow_tcp_reads", tcpReads.sum());
        stat(sb, "ffkx_too_large", tooLarge.sum());
        stat(sb, "ffkx_alloc_failures", c.allocFailures());
        return sb.append("END\r\n").toString();
    }

    private static void stat(StringBuilder sb, String name, long value) {
        sb.append("STAT ").append(name).append(' ').append(value).append("\r\n");
    }
}
