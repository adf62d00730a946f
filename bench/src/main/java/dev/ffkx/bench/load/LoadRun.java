package dev.ffkx.bench.load;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/** What the connections of one run share: the stop flag, progress counters and per-thread tallies. */
final class LoadRun {
    private final LoadSpec spec;
    private final Map<EventLoop, Tally> tallies = new ConcurrentHashMap<>();
    private final CountDownLatch unfinished;
    private final LongAdder answers = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();
    /** Salts verified values, so that one left by an earlier run never passes for this run's. */
    private final long salt = new java.util.SplittableRandom().nextLong();
    private volatile boolean stopping;

    LoadRun(LoadSpec spec) {
        this.spec = spec;
        this.unfinished = new CountDownLatch(spec.connections());
    }

    LoadSpec spec() {
        return spec;
    }

    long salt() {
        return salt;
    }

    Tally tally(EventLoop loop) {
        return tallies.computeIfAbsent(loop, l -> new Tally());
    }

    boolean stopping() {
        return stopping;
    }

    void stop() {
        stopping = true;
    }

    void progress(long latency, int byteCount) {
        answers.increment();
        bytes.add(byteCount);
        latencyNanos.add(latency);
    }

    void connectionFinished() {
        unfinished.countDown();
    }

    CountDownLatch unfinished() {
        return unfinished;
    }

    /** Answers, bytes and summed latency so far, for the progress line. */
    long[] progressSnapshot() {
        return new long[] {answers.sum(), bytes.sum(), latencyNanos.sum()};
    }

    /** Read only after the event loops have terminated, which publishes their writes. */
    List<Tally> tallies() {
        return new ArrayList<>(tallies.values());
    }
}
