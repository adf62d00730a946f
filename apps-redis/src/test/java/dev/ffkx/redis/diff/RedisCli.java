package dev.ffkx.redis.diff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real client redis-cli (Debian's redis-tools, 7.0): one-shot commands and {@code --pipe}. */
public final class RedisCli {
    private static final String BINARY = "/usr/bin/redis-cli";
    private static final Pattern PIPE_RESULT = Pattern.compile("errors: (\\d+), replies: (\\d+)");

    /** What {@code redis-cli --pipe} reported: the error replies and all replies it counted. */
    public record Piped(long errors, long replies, String output) {}

    private RedisCli() {}

    /**
     * Runs one command as {@code redis-cli -h host -p port ARGS...} and returns what it printed,
     * without the newlines at its end (an error gets two). redis-cli prints replies in its human form ("OK", "(nil)",
     * "(integer) 1") when its output is a terminal only; here it is a pipe, so raw.
     */
    public static String oneShot(String host, int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY, "-h", host, "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("redis-cli did not finish: " + String.join(" ", cmd));
        }
        return out.replaceFirst("\n+$", "");
    }

    /** Sends {@code commands} (RESP) through {@code redis-cli --pipe}; fails only if it reports no counts. */
    public static Piped pipe(String host, int port, byte[] commands) throws IOException, InterruptedException {
        Path in = Files.createTempFile("rdiff-pipe-", ".resp");
        try {
            Files.write(in, commands);
            Process p = new ProcessBuilder(BINARY, "-h", host, "-p", Integer.toString(port), "--pipe")
                    .redirectInput(in.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("redis-cli --pipe did not finish");
            }
            Matcher m = PIPE_RESULT.matcher(out);
            // It exits 1 when any reply was an error; the counts say so too.
            if (!m.find()) {
                throw new IOException("redis-cli --pipe exited with " + p.exitValue() + ": " + out.strip());
            }
            return new Piped(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), out);
        } finally {
            Files.deleteIfExists(in);
        }
    }
}
