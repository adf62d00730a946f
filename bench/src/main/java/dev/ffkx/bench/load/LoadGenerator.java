package dev.ffkx.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one {@link LoadSpec}. Sockets are created on the calling thread, so a caller that has
 * entered a network namespace (see {@code NetNamespace.call}) gets its clients in that namespace,
 * while the event loops that drive them may run anywhere.
 */
public final class LoadGenerator {
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private LoadGenerator() {}

    /**
     * Connects every client, runs the load, and returns what was measured.
     *
     * @param progress receives a progress line about once a second; may be null
     */
    public static LoadResult run(LoadSpec spec, Consumer<String> progress) throws InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's native epoll transport is unavailable: " + Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new EpollEventLoopGroup(spec.threads(), new DefaultThreadFactory("ffkx-load", true));
        try {
            LoadRun run = new LoadRun(spec);
            List<Connection> connections = connect(spec, run, group);
            long start = System.nanoTime();
            for (Connection c : connections) {
                c.channel().eventLoop().execute(c::fill);
            }
            boolean complete = await(spec, run, connections, start, progress);
            long stoppedAt = System.nanoTime();
            for (Connection c : connections) {
                c.channel().close();
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
            long last = connections.stream().mapToLong(c -> c.lastAnswerNanos).max().orElse(0);
            long elapsed = (last > start ? last : stoppedAt) - start;
            Tally total = new Tally();
            run.tallies().forEach(total::add);
            if (!complete) {
                total.problem("some connections were still waiting for answers "
                        + TimeUnit.NANOSECONDS.toSeconds(GRACE_NANOS) + " s after the run ended");
            }
            return new LoadResult(spec, elapsed, total);
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static List<Connection> connect(LoadSpec spec, LoadRun run, EventLoopGroup group) throws InterruptedException {
        InetSocketAddress server = new InetSocketAddress(spec.host(), spec.port());
        Bootstrap bootstrap = new Bootstrap().group(group);
        if (spec.udp()) {
            bootstrap.channel(EpollDatagramChannel.class).option(ChannelOption.SO_RCVBUF, 4 << 20);
        } else {
            bootstrap.channel(EpollSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
        }
        List<Connection> connections = new ArrayList<>();
        List<ChannelFuture> futures = new ArrayList<>();
        for (int i = 0; i < spec.connections(); i++) {
            Connection c = spec.udp() ? new UdpConnection(run, i) : new TcpConnection(run, i);
            connections.add(c);
            futures.add(bootstrap.clone().handler(c.handler()).connect(server));
        }
        for (ChannelFuture f : futures) {
            f.await();
            if (!f.isSuccess()) {
                futures.forEach(other -> other.channel().close());
                throw new IllegalStateException("connecting to " + spec.host() + ":" + spec.port()
                        + (spec.udp() ? " (UDP)" : " (TCP)") + ": " + TcpConnection.rootMessage(f.cause()), f.cause());
            }
        }
        return connections;
    }

    /** Waits for the run to end; false when some connection never finished. */
    private static boolean await(LoadSpec spec, LoadRun run, List<Connection> connections, long start,
                                 Consumer<String> progress) throws InterruptedException {
        long deadline = spec.testTimeSeconds() > 0 ? start + TimeUnit.SECONDS.toNanos(spec.testTimeSeconds()) : Long.MAX_VALUE;
        Progress line = new Progress(spec, start);
        while (true) {
            long now = System.nanoTime();
            long wait = Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(0, deadline - now));
            if (run.unfinished().await(wait, TimeUnit.NANOSECONDS)) {
                return true;
            }
            now = System.nanoTime();
            if (progress != null) {
                progress.accept(line.next(now, run.progressSnapshot()));
            }
            if (now >= deadline) {
                break;
            }
        }
        run.stop();
        for (Connection c : connections) {
            c.channel().eventLoop().execute(c::fill);
        }
        long grace = GRACE_NANOS + TimeUnit.MILLISECONDS.toNanos(spec.udpTimeoutMillis());
        if (run.unfinished().await(grace, TimeUnit.NANOSECONDS)) {
            return true;
        }
        for (Connection c : connections) {
            Channel ch = c.channel();
            ch.eventLoop().execute(() -> {
                if (!c.isFinished()) {
                    c.failed("no answer to outstanding requests within " + TimeUnit.NANOSECONDS.toSeconds(grace)
                            + " s after the run ended");
                }
            });
        }
        run.unfinished().await(1, TimeUnit.SECONDS);
        return false;
    }

    /** memtier's progress line: the last second's rate and latency, and the averages so far. */
    private static final class Progress {
        private final LoadSpec spec;
        private final long start;
        private long lastNanos;
        private long[] last = {0, 0, 0};

        Progress(LoadSpec spec, long start) {
            this.spec = spec;
            this.start = start;
            this.lastNanos = start;
        }

        String next(long now, long[] totals) {
            double window = Math.max(1e-9, (now - lastNanos) / 1e9);
            double sinceStart = Math.max(1e-9, (now - start) / 1e9);
            long ops = totals[0] - last[0];
            double latency = ops == 0 ? 0 : (totals[2] - last[2]) / 1e6 / ops;
            double avgLatency = totals[0] == 0 ? 0 : totals[2] / 1e6 / totals[0];
            String done = spec.testTimeSeconds() > 0
                    ? String.format(Locale.ROOT, "%3.0f%%", Math.min(100, 100 * sinceStart / spec.testTimeSeconds()))
                    : String.format(Locale.ROOT, "%3.0f%%", Math.min(100, 100.0 * totals[0] / (spec.requestsPerClient() * spec.connections())));
            String s = String.format(Locale.ROOT,
                    "[RUN #1 %s, %3d secs] %2d threads: %11d ops, %9.0f (avg: %9.0f) ops/sec, %s/sec (avg: %s/sec), %6.3f (avg: %6.3f) msec latency",
                    done, (long) sinceStart, spec.threads(), totals[0], ops / window, totals[0] / sinceStart,
                    rate((totals[1] - last[1]) / window), rate(totals[1] / sinceStart), latency, avgLatency);
            last = totals;
            lastNanos = now;
            return s;
        }

        private static String rate(double bytesPerSecond) {
            return bytesPerSecond >= 1 << 20 ? String.format(Locale.ROOT, "%.2fMB", bytesPerSecond / (1 << 20))
                    : String.format(Locale.ROOT, "%.2fKB", bytesPerSecond / 1024);
        }
    }
}
