package dev.ffkx.bench.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a peer tool (memcaslap, redis-benchmark) to completion with a time limit. */
final class Commands {
    private Commands() {}

    static String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("running " + String.join(" ", command) + ": " + e.getMessage()
                    + " (bin/install-deps installs libmemcached-tools and redis-tools)", e);
        }
        try {
            p.getOutputStream().close();
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process was killed; what was read is reported below
                }
            }, "output-" + command.get(0));
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                reader.join(1000);
                throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s: " + tail(out.toString()));
            }
            reader.join();
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + tail(out.toString()));
            }
            return out.toString();
        } finally {
            p.destroyForcibly();
        }
    }

    static String tail(String output) {
        String s = output.strip();
        return s.length() > 600 ? "..." + s.substring(s.length() - 600) : s;
    }
}
