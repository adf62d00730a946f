package dev.ffkx.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ffkx-bench}: benchmarks; {@code net} compares the offloads with the real servers end to end. */
@Command(name = "ffkx-bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"ffkx benchmarks.", ""},
        subcommands = {NetCommand.class},
        footer = {"", "Examples:",
                "  ffkx-bench net memcached          memcached -t 2, ffkx --kmemcached and an XDP echo, side by side",
                "  ffkx-bench net redis --quick      redis-server and the Redis offloads, one second per run"})
public final class FfkxBench implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
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
