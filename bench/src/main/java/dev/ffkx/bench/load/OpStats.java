package dev.ffkx.bench.load;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Counts and latencies of one request type. Each event-loop thread keeps its own, so recording
 * takes no lock; they are merged once the run is over.
 */
final class OpStats {
    /** Latencies in microseconds, up to a minute, to three significant digits. */
    final Histogram latencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    long ops;
    long hits;
    long misses;
    long errors;
    long bytes;

    void add(OpStats other) {
        latencyMicros.add(other.latencyMicros);
        ops += other.ops;
        hits += other.hits;
        misses += other.misses;
        errors += other.errors;
        bytes += other.bytes;
    }

    void record(long latencyNanos) {
        latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(), Math.max(1, latencyNanos / 1000)));
    }
}
