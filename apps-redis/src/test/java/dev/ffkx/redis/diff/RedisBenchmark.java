package dev.ffkx.redis.diff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Redis client redis-benchmark (Debian's redis-tools, 7.0) run against a server, its
 * quiet output parsed. redis-benchmark prints {@code Error from server: …} on stderr and exits 1
 * at the first error reply, so a clean run is exit 0 with nothing on stderr.
 */
public final class RedisBenchmark {
    private static final String BINARY = "/usr/bin/redis-benchmark";
    private static final Pattern ROW = Pattern.compile("^\\s*(.+?): ([0-9.]+) requests per second");

    /**
     * @param requestsPerSecond each test's rate, by redis-benchmark's name for it
     *     ("PING_INLINE", "SET", "MSET (10 keys)")
     * @param errors what it printed on stderr, line by line
     */
    public record Result(int exitCode, Map<String, Double> requestsPerSecond, List<String> errors, String output) {
        public boolean clean() {
            return exitCode == 0 && errors.isEmpty();
        }
    }

    private RedisBenchmark() {}

    /**
     * Issue 5's real-client check, {@code redis-benchmark -t ping,set,get,incr,mset -P 16 -q},
     * with {@code requests} requests per test.
     */
    public static Result standard(String host, int port, int requests) throws IOException, InterruptedException {
        return run(host, port, Duration.ofMinutes(5), "-t", "ping,set,get,incr,mset", "-P", "16", "-q", "-n",
                Integer.toString(requests));
    }

    /** Runs redis-benchmark with {@code -h host -p port} and these arguments. */
    public static Result run(String host, int port, Duration timeout, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY, "-h", host, "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("redis-benchmark-", ".out");
        Path err = Files.createTempFile("redis-benchmark-", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException("redis-benchmark did not finish within " + timeout + ": " + String.join(" ", cmd));
            }
            String output = Files.readString(out, StandardCharsets.ISO_8859_1);
            Map<String, Double> rows = new LinkedHashMap<>();
            // Progress lines end in CR and are overwritten; the final one per test ends in LF.
            for (String line : output.split("[\r\n]")) {
                Matcher m = ROW.matcher(line);
                if (m.find()) {
                    rows.put(m.group(1), Double.parseDouble(m.group(2)));
                }
            }
            List<String> errors = Files.readAllLines(err, StandardCharsets.ISO_8859_1).stream()
                    .filter(l -> !l.isBlank()).toList();
            return new Result(p.exitValue(), rows, errors, output);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
