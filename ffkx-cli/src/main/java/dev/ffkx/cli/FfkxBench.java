package dev.ffkx.cli;

import dev.ffkx.bench.ds.Report;
import dev.ffkx.bench.ds.Suite;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ffkx-bench}: by itself, the data-structure suite (ffkx's heap structures against plain
 * eBPF and java.util); {@code net} compares the offloads with the real servers end to end.
 */
@Command(name = "ffkx-bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"ffkx benchmarks. Without a subcommand: the data-structure suite, which measures ffkx's",
                "extension-heap structures against plain eBPF and java.util under JMH, prints a comparison",
                "table and guard statistics, and writes ds-results.csv, .json and .png.", ""},
        subcommands = {NetCommand.class},
        footer = {"", "Suite cells are named structure.op/impl/dist, e.g. hashmap.lookup/ffkx/zipf.", "", "Examples:",
                "  ffkx-bench --quick                   the suite as a smoke run (CI), a few seconds per structure",
                "  ffkx-bench                           the full suite with KFlex's parameters",
                "  ffkx-bench -f 'rbtree|skiplist'      only the trees and skip lists",
                "  ffkx-bench -f hashmap -- -f 3 -i 10  JMH options after --: 3 forks, 10 iterations",
                "  ffkx-bench net memcached             memcached -t 2, ffkx --kmemcached and an XDP echo, side by side",
                "  ffkx-bench net redis --quick         redis-server and the Redis offloads, one second per run"})
public final class FfkxBench implements Callable<Integer> {
    @Option(names = "--quick", description = "Smoke run of the suite: uniform keys, 4096 elements, 100 ms iterations, no fork.")
    private boolean quick;

    @Option(names = {"-f", "--filter"}, paramLabel = "REGEX", description = "Run only the suite cells whose name this matches.")
    private Pattern filter;

    @Option(names = "--out", defaultValue = "target/ffkx-bench", paramLabel = "DIR",
            description = "Where ds-results.csv, .json and .png go (default ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--cpu", paramLabel = "N", defaultValue = "-1", description = "CPU to pin the benchmark thread to (default: the last).")
    private int cpu;

    @Parameters(paramLabel = "JMH_OPTION", description = "After --: options for JMH itself (see -- -h).")
    private List<String> jmhArgs = new ArrayList<>();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // JMH reports its progress on stdout as it goes; the findings go to the command's writer
        Report report = Suite.run(new Suite.Options(quick, filter, out, cpu, jmhArgs, System.out));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println();
        stdout.print(report.table());
        stdout.println();
        report.targets().forEach(stdout::println);
        stdout.println();
        report.guardLines().forEach(stdout::println);
        stdout.println();
        stdout.println("Wrote " + out.resolve(Suite.CSV) + ", " + out.resolve(Suite.JSON) + " and " + out.resolve(Suite.PNG) + ".");
        stdout.flush();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by main and the tests. */
    static CommandLine commandLine() {
        return new CommandLine(new FfkxBench()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("ffkx-bench: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        });
    }
}
