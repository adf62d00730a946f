package dev.ffkx.cli;

import dev.ffkx.memcached.MemcachedOffload;
import dev.ffkx.redis.RedisOffload;
import dev.ffkx.runtime.XdpMode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ffkx}: run an offload on an interface, or check the kernel. */
@Command(name = "ffkx",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"KFlex-style kernel extensions on stock Linux: in-kernel memcached and Redis stores.", ""},
        subcommands = {DoctorCommand.class, DemoCommand.class},
        footer = {"", "Examples:",
                "  ffkx doctor                        check this kernel for every feature ffkx needs",
                "  ffkx demo                          count packets with XDP on a sandbox veth",
                "  ffkx --kmemcached --ifindex 2      serve memcached from the kernel on ifindex 2",
                "  ffkx --kmemcache --port 6379       serve Redis strings from the kernel (redis-cli -p 6379)"})
public final class Ffkx implements Callable<Integer> {
    @ArgGroup(exclusive = true)
    private Offload offload;

    @Option(names = "--ifindex", paramLabel = "N",
            description = "Network device to attach the fast path to (--kmemcached; accepted by the Redis offloads, whose sk_skb fast path serves every interface).")
    private Integer ifindex;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP/UDP port (11211 for memcached, 6379 for Redis).")
    private Integer port;

    @Option(names = "--heap", paramLabel = "SIZE", defaultValue = "1g", description = "Extension heap size (up to 4g; default ${DEFAULT-VALUE}).")
    private String heap;

    @Option(names = "--max-value", paramLabel = "SIZE", defaultValue = "1m",
            description = "memcached's item size limit, as its -I (default ${DEFAULT-VALUE}).")
    private String maxValue;

    @Option(names = "--xdp-mode", paramLabel = "MODE", defaultValue = "auto",
            description = "auto, native or generic (default ${DEFAULT-VALUE}).")
    private String xdpMode;

    @Option(names = "--stats-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between stats lines (default ${DEFAULT-VALUE}).")
    private int statsInterval;

    static final class Offload {
        @Option(names = "--kmemcached", description = "memcached store (UDP via XDP, TCP via sk_skb).")
        boolean memcached;
        @Option(names = "--kmemcache", description = "Redis strings (TCP via sk_skb).")
        boolean redisStrings;
        @Option(names = "--kredis", description = "Redis strings and sorted sets (TCP via sk_skb).")
        boolean redis;

        String flag() {
            return memcached ? "--kmemcached" : redisStrings ? "--kmemcache" : "--kredis";
        }
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (offload == null) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return CommandLine.ExitCode.USAGE;
        }
        if (offload.memcached) {
            if (ifindex == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--kmemcached needs --ifindex N");
            }
            return OffloadRunner.run(spec.commandLine().getOut(), () -> MemcachedOffload.start(new MemcachedOffload.Options(
                    ifindex, port == null ? 11211 : port, Sizes.parse(heap), Sizes.parse(maxValue),
                    XdpMode.valueOf(xdpMode.toUpperCase()))), statsInterval);
        }
        return OffloadRunner.run(spec.commandLine().getOut(), () -> RedisOffload.start(new RedisOffload.Options(
                "0.0.0.0", port == null ? 6379 : port, Sizes.parse(heap), offload.redis)), statsInterval);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by main and the tests. */
    static CommandLine commandLine() {
        return new CommandLine(new Ffkx()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("ffkx: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        });
    }
}
