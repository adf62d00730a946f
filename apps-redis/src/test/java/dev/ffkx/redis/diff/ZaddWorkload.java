package dev.ffkx.redis.diff;

import dev.ffkx.runtime.diff.DiffReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * KFlex's ZADD workload, {@code redis-benchmark --threads 2 -p PORT -r 1000000 -n 2000000 zadd
 * f__rand_int__f __rand_int__ ele:rand__rand_int__:__rand_int__}, run against a server under
 * test, and then checked: a reference redis-server given the very same commands must hold the
 * same sorted sets (DBSIZE, and ZCARD and ZRANGE WITHSCORES of every key, or of a sample).
 *
 * <p>redis-benchmark cannot repeat its commands: it has no seed option, seeds {@code random()}
 * from the clock, and with two threads their draws interleave differently on every run. So the
 * commands are recorded on their way to the server under test (a {@link RecordingProxy}) and
 * replayed to the reference with {@code redis-cli --pipe}.
 */
public final class ZaddWorkload {
    /** KFlex's arguments, less the port and the request count. */
    static final List<String> KFLEX = List.of("--threads", "2", "-r", "1000000", "zadd", "f__rand_int__f",
            "__rand_int__", "ele:rand__rand_int__:__rand_int__");

    /**
     * @param zadds the ZADD commands the server under test received
     * @param keys the distinct keys they wrote
     * @param checked how many of those keys were compared
     * @param report the comparison (DBSIZE, then ZCARD and ZRANGE per checked key)
     */
    public record Result(RedisBenchmark.Result benchmark, long zadds, int keys, int checked, DiffReport report) {
        public boolean clean() {
            return benchmark.clean() && report.clean();
        }

        public String summary() {
            return "redis-benchmark " + (benchmark.clean() ? "clean " + benchmark.requestsPerSecond()
                    : "exit " + benchmark.exitCode() + " " + benchmark.errors()) + "; " + zadds + " ZADDs on " + keys
                    + " keys, " + checked + " checked: " + report.summary();
        }
    }

    private ZaddWorkload() {}

    /**
     * @param tested the server under test, started
     * @param reference an empty redis-server, started
     * @param requests redis-benchmark's {@code -n} (KFlex: 2,000,000)
     * @param maxChecked compare all keys up to this many, else this many chosen with {@code seed}
     */
    public static Result run(ServerUnderTest tested, ServerUnderTest reference, int requests, int maxChecked, long seed)
            throws IOException, InterruptedException {
        RedisBenchmark.Result bench;
        List<byte[]> recordings;
        try (RecordingProxy proxy = new RecordingProxy(tested.host(), tested.port())) {
            List<String> args = new ArrayList<>(List.of("-n", Integer.toString(requests), "-q"));
            args.addAll(KFLEX);
            bench = RedisBenchmark.run("127.0.0.1", proxy.port(), Duration.ofMinutes(10), args.toArray(String[]::new));
            recordings = proxy.recordings();
        }
        ByteArrayOutputStream replay = new ByteArrayOutputStream();
        Set<String> keys = new LinkedHashSet<>();
        long commands = 0;
        long zadds = 0;
        for (byte[] r : recordings) {
            int[] at = {0};
            int whole = 0;
            List<byte[]> argv;
            // A connection may end inside a command the server never ran: keep whole ones only.
            while (at[0] < r.length && (argv = Resp.request(r, at, r.length)) != null) {
                whole = at[0];
                commands++;
                if (argv.size() > 1 && new String(argv.get(0), StandardCharsets.ISO_8859_1).equalsIgnoreCase("ZADD")) {
                    zadds++;
                    keys.add(new String(argv.get(1), StandardCharsets.ISO_8859_1));
                }
            }
            replay.write(r, 0, whole);
        }
        RedisCli.Piped piped = RedisCli.pipe(reference.host(), reference.port(), replay.toByteArray());
        if (piped.errors() != 0 || piped.replies() != commands) {
            throw new IOException("replaying " + commands + " commands to " + reference.name() + ": " + piped.output());
        }
        List<String> sample = new ArrayList<>(keys);
        if (sample.size() > maxChecked) {
            Collections.shuffle(sample, new Random(seed));
            sample = sample.subList(0, maxChecked);
        }
        List<Command> checks = new ArrayList<>();
        checks.add(Command.resp("DBSIZE"));
        for (String key : sample) {
            checks.add(Command.resp("ZCARD", key));
            checks.add(Command.resp("ZRANGE", key, "0", "-1", "WITHSCORES"));
        }
        DiffReport report;
        try (DiffSession session = DiffSession.open(reference, tested, seed)) {
            report = session.run(checks);
        }
        return new Result(bench, zadds, keys.size(), sample.size(), report);
    }
}
