package dev.ffkx.runtime;

import dev.ffkx.runtime.sys.LibBpf;
import dev.ffkx.runtime.sys.LibC;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns on the kernel's per-program run-time statistics (BPF_ENABLE_STATS) for as long as this
 * object is open, without touching the kernel.bpf_stats_enabled sysctl. Read the numbers with
 * {@link Program#runStats()}.
 */
public final class RunTimeStats implements AutoCloseable {
    private static final int BPF_STATS_RUN_TIME = 0;
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RunTimeStats(int fd) {
        this.fd = fd;
    }

    public static RunTimeStats enable() {
        return new RunTimeStats(BpfException.check(LibBpf.bpf_enable_stats(BPF_STATS_RUN_TIME), "enabling BPF run-time stats"));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LibC.close(fd);
        }
    }
}
