package dev.ffkx.bench.ds;

import dev.ffkx.runtime.Threads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The structure under test, full with every key, and the position in the key stream. Insert
 * and delete batches are undone outside the timed region (JMH invocation-level setup), so every
 * batch meets the structure at its full size; batches last long enough (milliseconds) that
 * JMH's per-invocation timestamps cost nothing measurable.
 */
@State(Scope.Thread)
public class Fixture {
    /** System property naming a file that receives one line of in-kernel time per trial. */
    public static final String KERNEL_CLOCK_FILE = "ffkx.bench.kernelClock";

    @Param({"ffkx", "ebpf", "java"})
    public String impl;

    @Param({"uniform", "zipf"})
    public String dist;

    @Param({"100000"})
    public int elements;

    /** CPU the benchmark thread is pinned to; -1 for the last one. */
    @Param({"-1"})
    public int cpu;

    private Subject subject;
    private Structure structure;
    private Op op;
    private int batch;
    private int cursor;
    private long[] clockAtStart;
    private long kernelNs;
    private long kernelOps;

    @Setup(Level.Trial)
    public void open(BenchmarkParams params) throws NoSuchMethodException {
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        Cell.Method m = Cell.Method.parse(method);
        structure = m.structure();
        op = m.op();
        batch = DsBench.class.getMethod(method, Fixture.class).getAnnotation(OperationsPerInvocation.class).value();
        pin();
        subject = Subject.open(Impl.of(impl), structure, Workload.generate(structure.elements(elements), Distribution.of(dist)));
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams params) {
        pin(); // JMH may run an iteration on a fresh thread
        clockAtStart = params.getType() == IterationType.MEASUREMENT ? subject.kernelClock() : null;
    }

    @Setup(Level.Invocation)
    public void prepare() {
        if (op.prepare() != null) {
            subject.run(op.prepare(), cursor, batch, Subject.Pass.SETUP);
        }
    }

    /** The measured work: one batch. */
    int runBatch() {
        return subject.run(op, cursor, batch, Subject.Pass.MEASURED);
    }

    @TearDown(Level.Invocation)
    public void restore() {
        if (op.restore() != null) {
            subject.run(op.restore(), cursor, batch, Subject.Pass.SETUP);
        }
        cursor = (cursor + batch) & (Workload.STREAM_LEN - 1);
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        if (clockAtStart != null) {
            long[] now = subject.kernelClock();
            kernelNs += now[0] - clockAtStart[0];
            kernelOps += now[1] - clockAtStart[1];
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        subject.close();
        String file = System.getProperty(KERNEL_CLOCK_FILE);
        if (file != null && kernelOps > 0) {
            String line = new Cell(structure, op, Impl.of(impl), Distribution.of(dist)).id() + " " + kernelNs + " " + kernelOps + "\n";
            try {
                Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void pin() {
        Threads.pinToCpu(cpu >= 0 ? cpu : Runtime.getRuntime().availableProcessors() - 1);
    }
}
