package dev.ffkx.runtime.diff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A reference server (memcached, redis-server) run as a child process for one test: its output
 * goes to a temporary log that explains a failed start, and a JVM shutdown hook kills it if the
 * test run dies before {@link #close()}.
 */
public final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final Thread killer;

    private ServerProcess(String name, Process process, Path log, Thread killer) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.killer = killer;
    }

    /**
     * Starts {@code command} and returns once {@code answers} holds. Throws, with the process's
     * output, if it exits first or does not answer within {@code timeout}; nothing is left running.
     */
    public static ServerProcess start(String name, List<String> command, BooleanSupplier answers, Duration timeout)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(name + "-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Thread killer = new Thread(p::destroyForcibly, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(killer);
        ServerProcess server = new ServerProcess(name, p, log, killer);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!answers.getAsBoolean()) {
                if (!p.isAlive()) {
                    throw new IOException(name + " exited with " + p.exitValue() + ": " + server.output() + " ("
                            + String.join(" ", command) + ")");
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(name + " did not answer within " + timeout.toMillis() + " ms: "
                            + server.output() + " (" + String.join(" ", command) + ")");
                }
                Thread.sleep(20);
            }
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the process printed so far. */
    public String output() throws IOException {
        return Files.readString(log, StandardCharsets.ISO_8859_1).strip();
    }

    /** Terminates the process (killing it after 5 s) and deletes its log; safe to call twice. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; it does the same.
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // A temp file; nothing depends on it.
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
