package dev.ffkx.bench.ds;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH benchmarks: one method per structure and operation, named {@code structure_op}; the
 * implementation and the distribution are {@link Fixture} parameters. Each invocation is one
 * batch, and {@code @OperationsPerInvocation} turns its time into time per operation. The batch
 * size is read back from that annotation, so it is stated once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DsBench {
    /**
     * Operations per batch. A test run of a syscall program costs 2.5-8 us here (mitigations, JNA),
     * so a batch must be thousands of operations for that to fade below a nanosecond per op.
     */
    static final int BATCH = 8192;
    /**
     * Every list operation scans (half the list on average), so fewer make a batch; still enough
     * that the test run is a few percent of the fastest list's batch.
     */
    static final int SCAN_BATCH = 64;

    @Benchmark @OperationsPerInvocation(BATCH)
    public int hashmap_insert(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int hashmap_lookup(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int hashmap_delete(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int rbtree_insert(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int rbtree_lookup(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int rbtree_delete(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(SCAN_BATCH)
    public int list_insert(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(SCAN_BATCH)
    public int list_lookup(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(SCAN_BATCH)
    public int list_delete(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int skiplist_insert(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int skiplist_lookup(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int skiplist_delete(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int countmin_update(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int countmin_estimate(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int countsketch_update(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int countsketch_estimate(Fixture f) { return f.runBatch(); }

    @Benchmark @OperationsPerInvocation(BATCH)
    public int alloc_alloc_free(Fixture f) { return f.runBatch(); }
}
