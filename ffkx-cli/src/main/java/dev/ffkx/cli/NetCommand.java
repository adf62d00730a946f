package dev.ffkx.cli;

import dev.ffkx.bench.net.NetBench;
import dev.ffkx.bench.net.Report;
import dev.ffkx.bench.net.Scenario;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ffkx-bench net}: the real server and the ffkx offload under identical load, side by side. */
@Command(name = "net", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the real server and the ffkx offload on a veth sandbox under identical load",
                "(ffkx-load, and memcaslap or redis-benchmark), and print throughput, latency, server CPU and ratios.",
                "Needs root: it builds a network namespace and attaches XDP programs, and removes them afterwards."})
final class NetCommand implements Callable<Integer> {
    @Parameters(paramLabel = "COMPARISON", description = "memcached, redis or zadd.")
    private String comparison;

    @Option(names = "--test-time", defaultValue = "10", paramLabel = "SECS", description = "Length of each measured run (default ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--quick", description = "One second per run and no warm-up: checks that everything works, measures little.")
    private boolean quick;

    @Option(names = "--port", description = "Port the servers listen on (default: 11211 for memcached, 6379 for Redis).")
    private Integer port;

    @Option(names = "--out", defaultValue = "target/ffkx-bench", paramLabel = "DIR",
            description = "Where net-COMPARISON.json and .png go (default ${DEFAULT-VALUE}).")
    private Path out;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Scenario scenario = Scenario.parse(comparison);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        Report report = NetBench.run(scenario, port == null ? scenario.defaultPort() : port, quick ? 1 : seconds, !quick,
                line -> {
                    stderr.println("ffkx-bench: " + line);
                    stderr.flush();
                });
        stdout.println();
        stdout.print(report.table());
        Files.createDirectories(out);
        Path json = out.resolve("net-" + scenario.cliName() + ".json");
        Path png = out.resolve("net-" + scenario.cliName() + ".png");
        Files.writeString(json, report.json(), StandardCharsets.UTF_8);
        report.writeChart(png);
        stdout.println();
        stdout.println("Wrote " + json + " and " + png + "; the sandbox is removed and every server stopped.");
        stdout.flush();
        return report.allRan() ? 0 : 1;
    }
}
