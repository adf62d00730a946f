package dev.ffkx.bench.net;

import dev.ffkx.bench.load.LoadGenerator;
import dev.ffkx.bench.load.LoadResult;
import dev.ffkx.bench.load.LoadSpec;
import dev.ffkx.runtime.net.NetNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * ffkx-load, run in this JVM: the thread that creates its sockets enters the clients' namespace,
 * so they are the namespace's while Netty's event loops drive them from anywhere.
 */
final class FfkxLoadClient implements Client {
    /** A cold client reaches about half its rate in its first second and most of it by its third. */
    private static final int WARM_UP_SECONDS = 2;

    private final String name;
    private final boolean udp;
    private final UnaryOperator<LoadSpec.Builder> configure;
    private final boolean warmUp;

    /**
     * @param configure sets everything but the server and the duration
     * @param warmUp    run two unmeasured seconds first, so the JIT has compiled the client
     */
    FfkxLoadClient(String name, boolean udp, UnaryOperator<LoadSpec.Builder> configure, boolean warmUp) {
        this.name = name;
        this.udp = udp;
        this.configure = configure;
        this.warmUp = warmUp;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean udp() {
        return udp;
    }

    LoadSpec spec(Endpoint endpoint, int seconds) {
        return configure.apply(LoadSpec.builder().server(endpoint.address(), endpoint.port()).udp(udp)).testTime(seconds).build();
    }

    @Override
    public Measurement run(NetNamespace namespace, Endpoint endpoint, int seconds) {
        if (warmUp) {
            LoadSpec warm = spec(endpoint, WARM_UP_SECONDS);
            namespace.call(() -> LoadGenerator.run(warm, null));
        }
        LoadSpec spec = spec(endpoint, seconds);
        LoadResult r = namespace.call(() -> LoadGenerator.run(spec, null));
        if (r.answered() == 0) {
            throw new IllegalStateException("no answers: " + r);
        }
        return new Measurement(r.opsPerSecond(), r.averageLatencyMillis(), r.percentileMillis(50), r.percentileMillis(99), note(r));
    }

    private static String note(LoadResult r) {
        List<String> notes = new ArrayList<>();
        if (r.timeouts() > 0) {
            notes.add(String.format(Locale.ROOT, "%d UDP timeouts (%.2f%%)", r.timeouts(),
                    100.0 * r.timeouts() / (r.answered() + r.unanswered())));
        }
        if (r.errors() > 0) {
            notes.add(r.errors() + " errors");
        }
        if (r.connectionFailures() > 0) {
            notes.add(r.connectionFailures() + " failed connections");
        }
        if (r.firstProblem() != null) {
            notes.add(r.firstProblem());
        }
        return String.join("; ", notes);
    }
}
