package dev.ffkx.runtime;

import dev.ffkx.runtime.sys.LibC;

/** Thread placement, for tests and benchmarks that need programs to run on a known CPU. */
public final class Threads {
    private static final int MASK_BYTES = 128; // 1024 CPUs, a multiple of sizeof(long) as the kernel wants

    private Threads() {}

    /**
     * Pins the calling thread to one CPU. Program types that refuse BPF_F_TEST_RUN_ON_CPU (tc,
     * syscall) run test runs on the caller's CPU, so this is how such a run is placed.
     */
    public static void pinToCpu(int cpu) {
        if (cpu < 0 || cpu >= MASK_BYTES * 8) {
            throw new IllegalArgumentException("no CPU " + cpu);
        }
        byte[] mask = new byte[MASK_BYTES];
        mask[cpu / 8] |= (byte) (1 << (cpu % 8));
        if (LibC.sched_setaffinity(0, mask.length, mask) != 0) {
            throw new BpfException("pinning thread " + Thread.currentThread().getName() + " to CPU " + cpu, LibC.errno());
        }
    }

    /** Lets the calling thread run on any CPU again. */
    public static void unpin() {
        byte[] mask = new byte[MASK_BYTES];
        java.util.Arrays.fill(mask, (byte) 0xff);
        if (LibC.sched_setaffinity(0, mask.length, mask) != 0) {
            throw new BpfException("unpinning thread " + Thread.currentThread().getName(), LibC.errno());
        }
    }

    /** The CPU the calling thread runs on now. */
    public static int currentCpu() {
        return LibC.sched_getcpu();
    }
}
