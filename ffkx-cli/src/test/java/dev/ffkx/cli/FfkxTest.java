package dev.ffkx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import dev.ffkx.runtime.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

@ExtendWith(NoLeftovers.class)
class FfkxTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Ffkx.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void doctorReportsEveryFeaturePresent() {
        Run r = run("doctor");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("BPF arena"), r.out());
        assertTrue(r.out().contains("6.15"), r.out());
        assertTrue(!r.out().contains("MISSING"), r.out());
        assertTrue(r.out().contains("Every required feature is present."), r.out());
    }

    @Test
    void kmemcachedNeedsAnInterface() {
        Run r = run("--kmemcached");
        assertEquals(CommandLine.ExitCode.USAGE, r.exit());
        assertTrue(r.err().contains("--ifindex"), r.err());
    }

    @Test
    void redisOffloadsOnATakenPortFailClearly() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            for (String flag : new String[] {"--kmemcache", "--kredis"}) {
                Run r = run(flag, "--port", Integer.toString(taken.getLocalPort()), "--heap", "64m");
                assertEquals(CommandLine.ExitCode.SOFTWARE, r.exit(), flag);
                assertTrue(r.err().contains("already in use"), r.err());
            }
        }
    }

    @Test
    void offloadsAreExclusive() {
        Run r = run("--kmemcached", "--kredis");
        assertEquals(CommandLine.ExitCode.USAGE, r.exit());
        assertTrue(r.err().contains("mutually exclusive"), r.err());
    }

    @Test
    void helpAndVersion() {
        Run help = run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--kmemcached") && help.out().contains("doctor"), help.out());
        Run version = run("--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().contains("libbpf v1."), version.out());
    }

    @Test
    void demoCountsPings() {
        Run r = run("demo", "--pings", "3", "--xdp-mode", "generic");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("ICMP"), r.out());
    }
}
