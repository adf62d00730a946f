package dev.ffkx.runtime;

import dev.ffkx.runtime.sys.LibBpf;
import dev.ffkx.runtime.sys.NativeMemory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * BPF_PROG_TEST_RUN of one program, reusable across runs so a benchmark loop allocates nothing:
 * set the input once, call {@link #run()} many times. Not thread-safe; use one per thread.
 */
public final class TestRun implements AutoCloseable {
    // struct bpf_test_run_opts (libbpf 1.1): offsets of its fields
    private static final int SZ = 0, DATA_IN = 8, DATA_OUT = 16, DATA_SIZE_IN = 24, DATA_SIZE_OUT = 28,
            CTX_IN = 32, CTX_OUT = 40, CTX_SIZE_IN = 48, CTX_SIZE_OUT = 52, RETVAL = 56, REPEAT = 60,
            DURATION = 64, FLAGS = 68, CPU = 72, OPTS_SIZE = 80;
    private static final int BPF_F_TEST_RUN_ON_CPU = 1;

    private final Program program;
    private final NativeMemory opts = NativeMemory.allocate(OPTS_SIZE);
    private final AtomicBoolean closed = new AtomicBoolean();
    private NativeMemory dataIn, dataOut, ctxIn, ctxOut;
    private int dataInLen, ctxInLen;

    TestRun(Program program) {
        this.program = program;
    }

    /** The packet (or, for syscall programs, nothing: use {@link #context}). */
    public TestRun data(byte[] data) {
        dataIn = replace(dataIn, data.length);
        dataIn.write(0, data);
        dataInLen = data.length;
        if (dataOut == null || dataOut.size() < data.length) {
            dataOutCapacity(Math.max(data.length, 256));
        }
        return this;
    }

    /** Room for the packet the program leaves behind (it may grow it). */
    public TestRun dataOutCapacity(int bytes) {
        dataOut = replace(dataOut, bytes);
        return this;
    }

    /**
     * The context passed in: for syscall programs, the struct their argument points to. Syscall
     * programs write it back in place (the kernel refuses a separate ctx_out for them).
     */
    public TestRun context(byte[] ctx) {
        ctxIn = replace(ctxIn, ctx.length);
        ctxIn.write(0, ctx);
        ctxInLen = ctx.length;
        return this;
    }

    /** Room for the context written back, for program types that have a ctx_out. */
    public TestRun contextOutCapacity(int bytes) {
        ctxOut = replace(ctxOut, bytes);
        return this;
    }

    /** Runs the program {@code n} times in the kernel; duration is then the mean. */
    public TestRun repeat(int n) {
        opts.putInt(REPEAT, n);
        return this;
    }

    /** Runs on the given CPU (not every program type accepts this). */
    public TestRun onCpu(int cpu) {
        opts.putInt(FLAGS, BPF_F_TEST_RUN_ON_CPU);
        opts.putInt(CPU, cpu);
        return this;
    }

    /** Runs the program and returns retval, duration and what came out. */
    public Result run() {
        int ret = runRaw();
        BpfException.check(ret, "test run of " + program.name());
        byte[] out = dataOut == null ? new byte[0] : dataOut.read(0, opts.getInt(DATA_SIZE_OUT));
        return new Result(opts.getInt(RETVAL), opts.getInt(DURATION), out, contextOut());
    }

    /** Runs the program and returns only its return value: the benchmark path, allocation free. */
    public int runForRetval() {
        BpfException.check(runRaw(), "test run of " + program.name());
        return opts.getInt(RETVAL);
    }

    /** The context as the last run left it: ctx_out if one was given, else the context passed in. */
    public byte[] contextOut() {
        if (ctxOut != null) {
            return ctxOut.read(0, opts.getInt(CTX_SIZE_OUT));
        }
        return ctxIn == null ? new byte[0] : ctxIn.read(0, ctxInLen);
    }

    private int runRaw() {
        if (closed.get()) {
            throw new IllegalStateException("test run of " + program.name() + " is closed");
        }
        opts.putLong(SZ, OPTS_SIZE);
        opts.putLong(DATA_IN, dataIn == null ? 0 : dataIn.address());
        opts.putInt(DATA_SIZE_IN, dataInLen);
        opts.putLong(DATA_OUT, dataOut == null ? 0 : dataOut.address());
        opts.putInt(DATA_SIZE_OUT, dataOut == null ? 0 : (int) dataOut.size());
        opts.putLong(CTX_IN, ctxIn == null ? 0 : ctxIn.address());
        opts.putInt(CTX_SIZE_IN, ctxInLen);
        opts.putLong(CTX_OUT, ctxOut == null ? 0 : ctxOut.address());
        opts.putInt(CTX_SIZE_OUT, ctxOut == null ? 0 : (int) ctxOut.size());
        return LibBpf.bpf_prog_test_run_opts(program.fd(), opts.address());
    }

    private static NativeMemory replace(NativeMemory old, int size) {
        if (old != null && old.size() >= size) {
            return old;
        }
        if (old != null) {
            old.close();
        }
        return NativeMemory.allocate(size);
    }

    /** What one test run returned. {@code durationNs} is the kernel's mean per repetition. */
    public record Result(int retval, long durationNs, byte[] data, byte[] context) {}

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (NativeMemory m : new NativeMemory[] {opts, dataIn, dataOut, ctxIn, ctxOut}) {
                if (m != null) {
                    m.close();
                }
            }
        }
    }
}
