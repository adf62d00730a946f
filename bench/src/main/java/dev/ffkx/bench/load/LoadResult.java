package dev.ffkx.bench.load;

import dev.ffkx.bench.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run measured: memtier's totals (per request type and overall) and the counters that a
 * fair comparison must see: errors, UDP timeouts and late replies, lost connections, and the
 * outcome of {@code --verify}.
 */
public final class LoadResult {
    private static final String RULE = "=".repeat(126);
    private static final String THIN = "-".repeat(126);

    private final LoadSpec spec;
    private final long elapsedNanos;
    private final Tally tally;
    private final OpStats totals = new OpStats();

    LoadResult(LoadSpec spec, long elapsedNanos, Tally tally) {
        this.spec = spec;
        this.elapsedNanos = elapsedNanos;
        this.tally = tally;
        tally.byType.values().forEach(totals::add);
    }

    public LoadSpec spec() {
        return spec;
    }

    public double seconds() {
        return Math.max(1e-9, elapsedNanos / 1e9);
    }

    /** Answers per second, every request type together. */
    public double opsPerSecond() {
        return totals.ops / seconds();
    }

    public long answered() {
        return totals.ops;
    }

    public double averageLatencyMillis() {
        return totals.latencyMicros.getTotalCount() == 0 ? Double.NaN : totals.latencyMicros.getMean() / 1000.0;
    }

    /** A latency percentile over every answer, in milliseconds; NaN when nothing was answered. */
    public double percentileMillis(double percentile) {
        return totals.latencyMicros.getTotalCount() == 0 ? Double.NaN
                : totals.latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    public long errors() {
        return totals.errors;
    }

    public long timeouts() {
        return tally.timeouts;
    }

    public long lateReplies() {
        return tally.lateReplies;
    }

    public long connectionFailures() {
        return tally.connectionFailures;
    }

    public long verified() {
        return tally.verified;
    }

    public long mismatches() {
        return tally.mismatches;
    }

    public long missing() {
        return tally.missing;
    }

    /** The first thing that went wrong, in words, or null. */
    public String firstProblem() {
        return tally.firstProblem;
    }

    /** Requests sent that got no answer: timed out, or lost with a failed connection. */
    public long unanswered() {
        return tally.timeouts + tally.lostOnFailedConnections;
    }

    /** memtier_benchmark's ALL STATS table, then ffkx-load's own counters. */
    public String totalsTable() {
        StringBuilder out = new StringBuilder();
        out.append("ALL STATS\n").append(RULE).append('\n');
        out.append(String.format(Locale.ROOT, "%-9s %13s %12s %12s %15s %15s %15s %15s %12s%n",
                "Type", "Ops/sec", "Hits/sec", "Misses/sec", "Avg. Latency", "p50 Latency", "p99 Latency", "p99.9 Latency", "KB/sec"));
        out.append(THIN).append('\n');
        for (Map.Entry<String, OpStats> row : rows().entrySet()) {
            OpStats s = row.getValue();
            boolean hits = row.getKey().equals("Gets") || row.getKey().equals("Totals") && spec.command() == null;
            out.append(String.format(Locale.ROOT, "%-9s %13.2f %12s %12s %15s %15s %15s %15s %12.2f%n",
                    row.getKey(), s.ops / seconds(),
                    hits ? String.format(Locale.ROOT, "%.2f", s.hits / seconds()) : "---",
                    hits ? String.format(Locale.ROOT, "%.2f", s.misses / seconds()) : "---",
                    millis(s, -1), millis(s, 50), millis(s, 99), millis(s, 99.9), s.bytes / 1024.0 / seconds()));
        }
        out.append(String.format(Locale.ROOT, "%nAnswered %d requests in %.2f s on %d connections (%d threads x %d, pipeline %d, %s).%n",
                totals.ops, seconds(), spec.connections(), spec.threads(), spec.clientsPerThread(), spec.pipeline(), transport()));
        out.append(String.format(Locale.ROOT, "Errors: %d. Unanswered: %d UDP timeouts (%.3f%% of sent), %d lost with %d failed connections; %d late or stray UDP replies.%n",
                totals.errors, tally.timeouts, 100.0 * tally.timeouts / Math.max(1, totals.ops + unanswered()),
                tally.lostOnFailedConnections, tally.connectionFailures, tally.lateReplies));
        if (spec.verify()) {
            out.append(String.format(Locale.ROOT, "Verify: %d GETs checked against the value last set: %d mismatches, %d missing"
                    + " (%d GETs of keys this run had not set yet were not checked).%n",
                    tally.verified + tally.missing, tally.mismatches, tally.missing, tally.unchecked));
        }
        if (tally.firstProblem != null) {
            out.append("First problem: ").append(tally.firstProblem).append('\n');
        }
        return out.toString();
    }

    private String transport() {
        return spec.protocol().cliName() + (spec.udp() ? " over UDP" : " over TCP") + " to " + spec.host() + ":" + spec.port();
    }

    private Map<String, OpStats> rows() {
        Map<String, OpStats> rows = new LinkedHashMap<>();
        if (spec.command() != null) {
            rows.put(Requests.commandLabel(spec.command()), tally.of(OpType.COMMAND));
        } else {
            rows.put("Sets", tally.of(OpType.SET));
            rows.put("Gets", tally.of(OpType.GET));
        }
        rows.put("Totals", totals);
        return rows;
    }

    private static String millis(OpStats s, double percentile) {
        if (s.latencyMicros.getTotalCount() == 0) {
            return "---";
        }
        double micros = percentile < 0 ? s.latencyMicros.getMean() : s.latencyMicros.getValueAtPercentile(percentile);
        return String.format(Locale.ROOT, "%.5f", micros / 1000.0);
    }

    /** The same numbers as JSON, shaped like memtier's {@code --json-out-file}. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("server", spec.host());
        config.put("port", spec.port());
        config.put("protocol", spec.protocol().cliName());
        config.put("transport", spec.udp() ? "udp" : "tcp");
        config.put("threads", spec.threads());
        config.put("clients", spec.clientsPerThread());
        config.put("ratio", spec.setRatio() + ":" + spec.getRatio());
        config.put("pipeline", spec.pipeline());
        config.put("test_time", spec.testTimeSeconds());
        config.put("requests", spec.testTimeSeconds() > 0 ? null : spec.requestsPerClient());
        config.put("key_prefix", spec.keyPrefix());
        config.put("key_minimum", spec.keyMinimum());
        config.put("key_maximum", spec.keyMaximum());
        config.put("key_pattern", spec.setPattern() + ":" + spec.getPattern());
        config.put("data_size", spec.dataSize());
        config.put("command", spec.command());
        config.put("verify", spec.verify());
        root.put("configuration", config);
        Map<String, Object> stats = new LinkedHashMap<>();
        for (Map.Entry<String, OpStats> row : rows().entrySet()) {
            OpStats s = row.getValue();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("Count", s.ops);
            r.put("Ops/sec", s.ops / seconds());
            r.put("Hits/sec", s.hits / seconds());
            r.put("Misses/sec", s.misses / seconds());
            r.put("Errors", s.errors);
            boolean any = s.latencyMicros.getTotalCount() > 0;
            r.put("Average Latency", any ? s.latencyMicros.getMean() / 1000.0 : null);
            Map<String, Object> p = new LinkedHashMap<>();
            for (double q : new double[] {50, 99, 99.9}) {
                p.put(String.format(Locale.ROOT, "p%.2f", q), any ? s.latencyMicros.getValueAtPercentile(q) / 1000.0 : null);
            }
            r.put("Percentile Latencies", p);
            r.put("KB/sec", s.bytes / 1024.0 / seconds());
            stats.put(row.getKey(), r);
        }
        stats.put("Runtime", Map.of("Total duration", seconds() * 1000.0));
        root.put("ALL STATS", stats);
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("udp_timeouts", tally.timeouts);
        counters.put("late_replies", tally.lateReplies);
        counters.put("connection_failures", tally.connectionFailures);
        counters.put("lost_on_failed_connections", tally.lostOnFailedConnections);
        if (spec.verify()) {
            counters.put("verified", tally.verified);
            counters.put("mismatches", tally.mismatches);
            counters.put("missing", tally.missing);
            counters.put("unchecked", tally.unchecked);
        }
        counters.put("first_problem", tally.firstProblem);
        root.put("counters", counters);
        return Json.write(root);
    }

    /** One-line summary for logs and test failures. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(String.format(Locale.ROOT, "%.0f ops/sec", opsPerSecond()));
        parts.add(String.format(Locale.ROOT, "p50 %.3f ms, p99 %.3f ms", percentileMillis(50), percentileMillis(99)));
        parts.add(totals.ops + " answered, " + totals.errors + " errors, " + tally.timeouts + " timeouts, "
                + tally.connectionFailures + " failed connections");
        if (spec.verify()) {
            parts.add(tally.verified + " verified, " + tally.mismatches + " mismatches, " + tally.missing + " missing");
        }
        if (tally.firstProblem != null) {
            parts.add("first problem: " + tally.firstProblem);
        }
        return String.join("; ", parts);
    }
}
