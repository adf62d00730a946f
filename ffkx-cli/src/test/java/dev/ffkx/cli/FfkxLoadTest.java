package dev.ffkx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.bench.net.RealServers;
import dev.ffkx.bench.net.ServerProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The ffkx-load command line against a memcached started here on loopback. */
class FfkxLoadTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static int port;
    private static ServerProcess memcached;

    private record Run(int exit, String out, String err) {}

    @BeforeAll
    static void startMemcached() throws IOException {
        port = Ports.free();
        memcached = ServerProcess.start("memcached", RealServers.memcachedCommand(LOOPBACK, port), LOOPBACK, port);
    }

    @AfterAll
    static void stopMemcached() {
        if (memcached != null) {
            memcached.close();
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = FfkxLoad.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void memtierStyleUdpRunPrintsTotalsAndWritesJson(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("out.json");
        Run r = run("-s", LOOPBACK, "-p", String.valueOf(port), "-P", "memcache_text", "--udp", "-t", "1", "-c", "4",
                "--ratio", "1:1", "--key-maximum", "999", "--test-time", "1", "--verify", "--json-out-file", json.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("ALL STATS") && r.out().contains("Totals"), r.out());
        assertTrue(r.out().contains("0 mismatches"), r.out());
        assertTrue(r.err().contains("[RUN #1"), "progress line: " + r.err());
        assertTrue(Files.readString(json).contains("\"Ops/sec\""), Files.readString(json));
    }

    @Test
    void badOptionsExitWithUsage() {
        Run r = run("-p", String.valueOf(port), "--udp", "--test-time", "1");
        assertEquals(CommandLine.ExitCode.USAGE, r.exit());
        assertTrue(r.err().contains("UDP needs --protocol memcache_text"), r.err());
    }

    @Test
    void anUnreachableServerIsNamed() throws IOException {
        int closed = Ports.free();
        Run r = run("-p", String.valueOf(closed), "-t", "1", "-c", "1", "--test-time", "1", "--hide-progress");
        assertEquals(CommandLine.ExitCode.SOFTWARE, r.exit());
        assertTrue(r.err().contains("connecting to 127.0.0.1:" + closed), r.err());
    }
}
