package dev.ffkx.runtime;

import dev.ffkx.runtime.sys.LibC;

/**
 * CPU affinity of the calling thread. Benchmarks pin themselves because BPF_PROG_TEST_RUN of a
 * syscall or tc program runs on whatever CPU the caller is on, and a migration in the middle of a
 * measurement mixes two caches into one number.
 */
public final class Threads {
    private Threads() {}

    /** Binds the calling thread (not the whole process) to one CPU. */
    public static void pinToCpu(int cpu) {
        if (cpu < 0) {
            throw new IllegalArgumentException("no CPU " + cpu);
        }
        byte[] mask = new byte[(cpu / 64 + 1) * 8]; // cpu_set_t is an array of longs
        mask[cpu / 8] = (byte) (1 << (cpu % 8));
        if (LibC.sched_setaffinity(0, mask.length, mask) != 0) {
            throw new BpfException("pinning this thread to CPU " + cpu, LibC.errno());
        }
    }

    /** The CPU the calling thread runs on now. */
    public static int currentCpu() {
        return LibC.sched_getcpu();
    }
}
