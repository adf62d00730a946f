package dev.ffkx.bench.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time from /proc, in clock ticks: a process's user+system time, and the machine's softirq
 * time. On this path the kernel's network stack, and XDP, run in softirq on whichever CPU the
 * packet is on, so softirq is where an in-kernel server's work shows.
 */
final class CpuTimes {
    private CpuTimes() {}

    /** utime + stime of a process (fields 14 and 15 of /proc/PID/stat), or empty if it is gone. */
    static OptionalLong processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Softirq ticks summed over every CPU (the "cpu" line of /proc/stat, seventh field). */
    static long softirqTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    return Long.parseLong(line.trim().split("\\s+")[7]);
                }
            }
            throw new IllegalStateException("/proc/stat has no cpu line");
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/stat", e);
        }
    }

    /** USER_HZ, the unit of both; 100 on every mainstream Linux build. */
    static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
