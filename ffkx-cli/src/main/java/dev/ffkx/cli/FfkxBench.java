package dev.ffkx.cli;

import dev.ffkx.bench.ds.Report;
import dev.ffkx.bench.ds.Suite;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ffkx-bench}: the data-structure suite, ffkx's heap structures against plain eBPF and java.util. */
@Command(name = "ffkx-bench",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Measures ffkx's extension-heap data structures against plain eBPF and java.util (JMH),",
                "prints a comparison table and guard statistics, and writes CSV, JSON and a PNG chart.", ""},
        footer = {"", "Cells are named structure.op/impl/dist, e.g. hashmap.lookup/ffkx/zipf.", "", "Examples:",
                "  ffkx-bench --quick                      a few seconds per cell (CI smoke run)",
                "  ffkx-bench                              the full suite, KFlex's parameters",
                "  ffkx-bench -f 'rbtree|skiplist'         only the trees and skip lists",
                "  ffkx-bench -f hashmap -- -f 3 -i 10     JMH options after --: 3 forks, 10 iterations"})
public final class FfkxBench implements Callable<Integer> {
    @Option(names = "--quick", description = "Smoke run: uniform keys, 4096 elements, 100 ms iterations, no fork.")
    private boolean quick;

    @Option(names = {"-f", "--filter"}, paramLabel = "REGEX", description = "Run only the cells whose name this matches.")
    private Pattern filter;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "bench-results",
            description = "Where the CSV, JSON and PNG go (default ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--cpu", paramLabel = "N", defaultValue = "-1", description = "CPU to pin the benchmark thread to (default: the last).")
    private int cpu;

    @Parameters(paramLabel = "JMH_OPTION", description = "After --: options for JMH itself (see -- -h).")
    private List<String> jmhArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out; // JMH writes its progress to a PrintStream
        Report report = Suite.run(new Suite.Options(quick, filter, this.out, cpu, jmhArgs, out));
        out.println();
        out.print(report.table());
        out.println();
        report.targets().forEach(out::println);
        out.println();
        report.guardLines().forEach(out::println);
        out.println();
        out.println("wrote " + this.out.resolve(Suite.CSV) + ", " + this.out.resolve(Suite.JSON) + ", " + this.out.resolve(Suite.PNG));
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
