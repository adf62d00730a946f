package dev.ffkx.bench.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A server process started for one measurement. It is ready once its TCP port accepts, and it is
 * killed on close (and by a shutdown hook should this JVM be stopped first), so none outlives the
 * run. Its output goes to a temporary file quoted in any start-up failure.
 */
public final class ServerProcess implements ServerUnderTest.Running {
    private static final long READY_TIMEOUT_MS = 10_000;

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread killer;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.killer = new Thread(process::destroyForcibly, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts {@code command} and waits until {@code address:port} accepts TCP connections. */
    public static ServerProcess start(String name, List<String> command, String address, int port) throws IOException {
        Path log = Files.createTempFile("ffkx-server-", ".log");
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            Files.deleteIfExists(log);
            throw new IOException("starting " + name + " (" + String.join(" ", command) + "): " + e.getMessage()
                    + " (bin/install-deps installs memcached and redis-server)", e);
        }
        ServerProcess server = new ServerProcess(name, p, log);
        try {
            server.awaitReady(address, port, command);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void awaitReady(String address, int port, List<String> command) throws IOException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (true) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with status " + process.exitValue() + " at start-up ("
                        + String.join(" ", command) + "): " + output());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 200);
                return;
            } catch (IOException notYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException(name + " did not accept connections on " + address + ":" + port + " within "
                            + READY_TIMEOUT_MS + " ms: " + output());
                }
                sleep(20);
            }
        }
    }

    private String output() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "(no output)" : text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a server to start", e);
        }
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

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
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: the process is being killed anyway
            }
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary file; the system cleans /tmp
            }
        }
    }
}
