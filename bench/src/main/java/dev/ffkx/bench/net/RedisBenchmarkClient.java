package dev.ffkx.bench.net;

import dev.ffkx.runtime.net.NetNamespace;
import java.util.List;

/**
 * redis-benchmark from redis-tools, one test at a time so that each gets its own CPU reading.
 * It runs a count, not a time, so the count is sized from the rate it is expected to reach.
 */
final class RedisBenchmarkClient implements Client {
    private final String test;
    private final int pipeline;
    private final int clients;
    private final long expectedRate;

    RedisBenchmarkClient(String test, int pipeline, int clients, long expectedRate) {
        this.test = test;
        this.pipeline = pipeline;
        this.clients = clients;
        this.expectedRate = expectedRate;
    }

    @Override
    public String name() {
        return "redis-benchmark " + test.toUpperCase() + " P" + pipeline + " c" + clients;
    }

    @Override
    public boolean udp() {
        return false;
    }

    @Override
    public Measurement run(NetNamespace namespace, Endpoint endpoint, int seconds) throws Exception {
        long requests = Math.max(10_000, expectedRate * seconds);
        String out = Commands.run(namespace.command("redis-benchmark", "-h", endpoint.address(), "-p", String.valueOf(endpoint.port()),
                "-c", String.valueOf(clients), "-n", String.valueOf(requests), "-P", String.valueOf(pipeline),
                "-t", test, "-d", "32", "-r", "100000", "--csv"), seconds * 10L + 60);
        return parse(out);
    }

    /** The CSV line of the test: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms",... */
    static Measurement parse(String out) {
        for (String line : out.split("\n")) {
            List<String> f = List.of(line.trim().replace("\"", "").split(","));
            if (f.size() >= 7 && !f.get(0).equals("test")) {
                try {
                    return new Measurement(Double.parseDouble(f.get(1)), Double.parseDouble(f.get(2)),
                            Double.parseDouble(f.get(4)), Double.parseDouble(f.get(6)), "");
                } catch (NumberFormatException e) {
                    // not a result line
                }
            }
        }
        throw new IllegalStateException("redis-benchmark printed no CSV result: " + Commands.tail(out));
    }
}
