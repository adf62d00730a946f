package dev.ffkx.cli;

import dev.ffkx.bench.load.LoadGenerator;
import dev.ffkx.bench.load.LoadResult;
import dev.ffkx.bench.load.LoadSpec;
import dev.ffkx.bench.load.Protocol;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ffkx-load}: the load generator, with memtier_benchmark's option names and defaults so a
 * memtier command line mostly runs unchanged, plus UDP and {@code --verify}.
 */
@Command(name = "ffkx-load", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Load generator for memcached (text protocol over TCP or UDP) and Redis, in memtier_benchmark's terms.", ""},
        footer = {"", "Exit status: 0 when the run completed; 1 when --verify found a wrong or missing value, a connection",
                "failed, or nothing was answered; 2 for bad options.", "", "Examples:",
                "  ffkx-load -s 127.0.0.1 -p 11211 -P memcache_text --udp --test-time 10 --verify",
                "  ffkx-load -p 6379 --pipeline 16 --ratio 1:10 --key-pattern Z:Z --key-zipf-exp 0.99 --test-time 10",
                "  ffkx-load -p 6379 --key-prefix= --command 'ZADD myzset __key__ member:__key__' --test-time 10"})
public final class FfkxLoad implements Callable<Integer> {
    @Option(names = {"-s", "--server"}, defaultValue = "127.0.0.1", description = "Server address (default ${DEFAULT-VALUE}).")
    private String server;
    @Option(names = {"-p", "--port"}, defaultValue = "6379", description = "Server port (default ${DEFAULT-VALUE}).")
    private int port;
    @Option(names = {"-P", "--protocol"}, defaultValue = "redis", description = "redis or memcache_text (default ${DEFAULT-VALUE}).")
    private String protocol;
    @Option(names = "--udp", description = "memcached over UDP, with its 8-byte frame header (memcache_text only).")
    private boolean udp;
    @Option(names = {"-t", "--threads"}, defaultValue = "4", description = "Event-loop threads (default ${DEFAULT-VALUE}).")
    private int threads;
    @Option(names = {"-c", "--clients"}, defaultValue = "50", description = "Connections per thread (default ${DEFAULT-VALUE}).")
    private int clients;
    @Option(names = "--ratio", defaultValue = "1:10", paramLabel = "SET:GET", description = "Set to get ratio (default ${DEFAULT-VALUE}).")
    private String ratio;
    @Option(names = "--pipeline", defaultValue = "1", description = "Requests outstanding per connection (default ${DEFAULT-VALUE}).")
    private int pipeline;
    @Option(names = "--test-time", paramLabel = "SECS", description = "Run for this many seconds instead of --requests.")
    private Integer testTime;
    @Option(names = {"-n", "--requests"}, defaultValue = "10000", description = "Requests per connection (default ${DEFAULT-VALUE}).")
    private long requests;
    @Option(names = "--key-prefix", defaultValue = "memtier-", description = "Key prefix (default ${DEFAULT-VALUE}).")
    private String keyPrefix;
    @Option(names = "--key-minimum", defaultValue = "0", description = "Lowest key number (default ${DEFAULT-VALUE}).")
    private long keyMinimum;
    @Option(names = "--key-maximum", defaultValue = "10000000", description = "Highest key number (default ${DEFAULT-VALUE}).")
    private long keyMaximum;
    @Option(names = "--key-pattern", defaultValue = "R:R", paramLabel = "SET:GET",
            description = "R random, S sequential, G gaussian, Z zipf (default ${DEFAULT-VALUE}).")
    private String keyPattern;
    @Option(names = "--key-zipf-exp", defaultValue = "1.0", description = "Zipf exponent, in (0, 5) (default ${DEFAULT-VALUE}).")
    private double zipfExp;
    @Option(names = "--key-median", description = "Gaussian centre (default: the middle of the range).")
    private Double keyMedian;
    @Option(names = "--key-stddev", description = "Gaussian spread (default: a sixth of the range).")
    private Double keyStddev;
    @Option(names = {"-d", "--data-size"}, defaultValue = "32", description = "Value size in bytes (default ${DEFAULT-VALUE}).")
    private int dataSize;
    @Option(names = "--command", description = "Send this command instead of SET/GET; __key__ and __data__ are filled in.")
    private String command;
    @Option(names = "--verify", description = "Check that every GET returns the value last set for its key; count mismatches.")
    private boolean verify;
    @Option(names = "--udp-timeout", defaultValue = "1000", paramLabel = "MS", description = "Give up on a UDP request after this long (default ${DEFAULT-VALUE}).")
    private int udpTimeout;
    @Option(names = "--json-out-file", paramLabel = "FILE", description = "Also write the results as JSON.")
    private Path jsonOut;
    @Option(names = "--hide-progress", description = "No progress line during the run.")
    private boolean hideProgress;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException, IOException {
        LoadSpec load = LoadSpec.builder().server(server, port).protocol(Protocol.parse(protocol)).udp(udp)
                .threads(threads).clients(clients).ratio(ratio).pipeline(pipeline)
                .testTime(testTime == null ? 0 : testTime).requests(requests)
                .keyPrefix(keyPrefix).keyRange(keyMinimum, keyMaximum).keyPattern(keyPattern).zipfExponent(zipfExp)
                .gaussian(keyMedian == null ? Double.NaN : keyMedian, keyStddev == null ? Double.NaN : keyStddev)
                .dataSize(dataSize).command(command).verify(verify).udpTimeoutMillis(udpTimeout).build();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean sameLine = System.console() != null;
        LoadResult result = LoadGenerator.run(load, hideProgress ? null : line -> {
            err.print(sameLine ? "\r" + line : line + "\n");
            err.flush();
        });
        if (!hideProgress && sameLine) {
            err.println();
        }
        out.println();
        out.print(result.totalsTable());
        out.flush();
        if (jsonOut != null) {
            Files.writeString(jsonOut, result.toJson(), StandardCharsets.UTF_8);
        }
        boolean failed = result.mismatches() > 0 || result.missing() > 0 || result.connectionFailures() > 0 || result.answered() == 0;
        return failed ? 1 : 0;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by main and the tests. */
    static CommandLine commandLine() {
        return new CommandLine(new FfkxLoad()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("ffkx-load: " + e.getMessage());
            return e instanceof IllegalArgumentException ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
    }
}
