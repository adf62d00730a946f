package dev.ffkx.bench.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time from /proc, in clock ticks: a process's user+system time, the machine's softirq time,
 * and the kernel workers' time. On this path the kernel's network stack, and XDP, run in softirq
 * on whichever CPU the packet is on, so softirq is where an in-kernel server's work shows; an
 * sk_skb verdict's redirected replies are sent by the socket map's work item, in a kworker.
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

    /**
     * utime + stime summed over the kworker threads alive now. A worker that exits between two
     * readings takes its time with it, so the difference of two readings is a lower bound.
     */
    static long kworkerTicks() {
        long sum = 0;
        try (var procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars()
                .allMatch(Character::isDigit))) {
            for (Path proc : procs) {
                try {
                    if (Files.readString(proc.resolve("comm")).startsWith("kworker")) {
                        sum += processTicks(Long.parseLong(proc.getFileName().toString())).orElse(0);
                    }
                } catch (IOException e) {
                    // the thread exited while we looked: its time is gone either way
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing /proc", e);
        }
        return sum;
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

    /** The one-minute load average: other work on the machine skews every row, and this shows how much there was. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
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
