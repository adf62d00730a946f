package dev.ffkx.cli;

import dev.ffkx.runtime.Offload;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs an offload until SIGINT or SIGTERM: prints its ready line, then a stats line every few
 * seconds, and on the signal closes it (detaching everything) and exits 0.
 */
final class OffloadRunner {
    private OffloadRunner() {}

    static int run(PrintWriter out, Supplier<? extends Offload> starter, int statsSeconds) {
        Offload offload = starter.get();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            offload.close();
            stopped.countDown();
            out.println("stopped: everything detached");
            out.flush();
            // a signal would otherwise make the JVM exit 128 + signo; stopping on request is success
            Runtime.getRuntime().halt(0);
        }, "ffkx-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(offload.readyLine());
        out.flush();
        try {
            while (!stopped.await(statsSeconds, TimeUnit.SECONDS)) {
                out.println(offload.statsLine());
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
