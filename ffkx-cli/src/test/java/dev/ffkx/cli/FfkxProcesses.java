package dev.ffkx.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ffkx command run as its own process, as a user runs it, from the classpath of these tests.
 * Closing kills every process started here that is still running.
 */
final class FfkxProcesses implements AutoCloseable {
    private final List<Process> started = new ArrayList<>();

    /**
     * Starts {@code ffkx args} and returns once it prints its ready line, or once it exits (or 10 s
     * after its output ends). Every line it prints, before and after, goes to {@code out}.
     */
    Process start(List<String> out, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Ffkx.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        started.add(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            out.add(line);
            if (line.startsWith("ready:")) {
                Thread drain = new Thread(() -> r.lines().forEach(out::add));
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        p.waitFor(10, TimeUnit.SECONDS);
        return p;
    }

    @Override
    public void close() throws InterruptedException {
        started.forEach(Process::destroyForcibly);
        for (Process p : started) {
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
