package dev.ffkx.runtime.stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.OperatingSystemMXBean;
import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.net.VethSandbox;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not a test: PING throughput at pipeline 16, redis-server 7 against the PING demonstrator with
 * and without ring-buffer announcements, the client in a namespace over veth, all in one run.
 * Prints rates, their ratios, and this process's CPU time per request. Run with -Dffkx.measure=true.
 */
@ExtendWith(NoLeftovers.class)
class PingThroughputMeasurement {
    private static final int REQUESTS = 400_000;

    @Test
    void pingAtPipeline16() throws Exception {
        assumeTrue(Boolean.getBoolean("ffkx.measure"), "a measurement: -Dffkx.measure=true runs it");
        List<String> lines = new ArrayList<>();
        try (VethSandbox sandbox = VethSandbox.create()) {
            double redis = redisServer(sandbox);
            lines.add(String.format("redis-server 7            PING_MBULK %,10.0f req/s  1.00x", redis));
            for (ReadSignal signal : ReadSignal.values()) {
                try (PingFixture f = new PingFixture(sandbox.hostAddress(), signal)) {
                    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                    long cpu0 = os.getProcessCpuTime();
                    double rps = benchmark(sandbox, f.port());
                    long cpuNs = os.getProcessCpuTime() - cpu0;
                    StreamOffloadServer.Stats st = f.server.stats();
                    lines.add(String.format("ffkx %-20s PING_MBULK %,10.0f req/s  %.2fx  java cpu %.0f ns/req  %s",
                            signal, rps, rps / redis, (double) cpuNs / REQUESTS, st));
                }
            }
        }
        lines.forEach(System.out::println);
    }

    private static double redisServer(VethSandbox sandbox) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process server = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", sandbox.hostAddress(),
                "--save", "", "--appendonly", "no", "--protected-mode", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500);
            return benchmark(sandbox, port);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** PING_MBULK rate: the multibulk PING is the one the kernel answers (its reply is shorter). */
    private static double benchmark(VethSandbox sandbox, int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(sandbox.peerCommand("redis-benchmark", "-h", sandbox.hostAddress(), "-p",
                String.valueOf(port), "-t", "ping_mbulk", "-P", "16", "-n", String.valueOf(REQUESTS), "--csv"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("redis-benchmark failed:\n" + out);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("\"PING_MBULK\"")) {
                return Double.parseDouble(line.split(",")[1].replace("\"", ""));
            }
        }
        throw new IllegalStateException("no PING_MBULK rate in:\n" + out);
    }
}
