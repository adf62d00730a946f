package dev.ffkx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ffkx --kmemcache as a user runs it: its own process, driven by redis-cli and redis-benchmark,
 * stopped by SIGTERM or killed, and leaving no program attached either way.
 */
@ExtendWith(NoLeftovers.class)
class RedisOffloadTest {
    private int port;
    private final FfkxProcesses ffkx = new FfkxProcesses();

    @BeforeEach
    void freePort() throws IOException {
        port = Ports.free();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        ffkx.close();
    }

    /** Starts ffkx with the flag and waits for its ready line (or its exit). */
    private Process start(String flag, List<String> out) throws IOException, InterruptedException {
        return ffkx.start(out, flag, "--port", Integer.toString(port), "--heap", "128m", "--stats-interval", "1");
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
        return out;
    }

    /** The BPF programs the process holds open (its fdinfo names them), by id. */
    private static Set<Integer> programsOf(long pid) throws IOException {
        Set<Integer> ids = new TreeSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
            for (Path fd : fds) {
                try {
                    for (String line : Files.readAllLines(fd)) {
                        if (line.startsWith("prog_id:")) {
                            ids.add(Integer.parseInt(line.substring(8).trim()));
                        }
                    }
                } catch (IOException closedMeanwhile) {
                    // an fd closed between listing and reading is no program of ours
                }
            }
        }
        return ids;
    }

    private static boolean loaded(int progId) throws IOException, InterruptedException {
        return run("bpftool", "prog", "show", "id", Integer.toString(progId)).contains("name ");
    }

    /** The process's programs, after checking its sk_skb fast path is among them. */
    private static Set<Integer> fastPathOf(Process p) throws IOException, InterruptedException {
        Set<Integer> ids = programsOf(p.pid());
        boolean verdict = false;
        for (int id : ids) {
            verdict |= run("bpftool", "prog", "show", "id", Integer.toString(id)).contains("name rd_verdict");
        }
        assertTrue(verdict, "rd_verdict among the programs " + ids);
        return ids;
    }

    private static void assertUnloaded(Set<Integer> ids) throws IOException, InterruptedException {
        for (int id : ids) {
            for (int i = 0; i < 50 && loaded(id); i++) {
                Thread.sleep(100);
            }
            assertFalse(loaded(id), "program " + id + " still loaded");
        }
    }

    @Test
    void servesRealClientsThenSigtermDetaches() throws Exception {
        List<String> out = new ArrayList<>();
        Process p = start("--kmemcache", out);
        assertTrue(p.isAlive(), String.join("\n", out));
        assertTrue(out.get(out.size() - 1).contains("strings"), out.toString());
        String cli = Integer.toString(port);
        assertEquals("OK\n", run("redis-cli", "-p", cli, "SET", "life", "cycle"));
        assertEquals("cycle\n", run("redis-cli", "-p", cli, "GET", "life"));
        String bench = run("redis-benchmark", "-p", cli, "-t", "set,get", "-P", "16", "-n", "20000", "-q");
        assertFalse(bench.toLowerCase().contains("error"), bench);
        Set<Integer> programs = fastPathOf(p);

        List<String> second = new ArrayList<>();
        Process again = start("--kmemcache", second);
        assertTrue(again.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, again.exitValue());
        assertTrue(String.join("\n", second).contains("already in use"), String.join("\n", second));

        Thread.sleep(1500); // at least one stats line
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("stats:")), String.join("\n", out));
        assertUnloaded(programs);
        assertPortFree();
    }

    @Test
    void killNineLeavesNothingAttached() throws Exception {
        List<String> out = new ArrayList<>();
        Process p = start("--kredis", out);
        assertTrue(p.isAlive(), String.join("\n", out));
        assertTrue(out.get(out.size() - 1).contains("strings and sorted sets"), out.toString());
        String cli = Integer.toString(port);
        assertEquals("2\n", run("redis-cli", "-p", cli, "ZADD", "z", "1", "a", "2.5", "b"));
        assertEquals("b\n2.5\na\n1\n", run("redis-cli", "-p", cli, "ZREVRANGE", "z", "0", "-1", "WITHSCORES"));
        Set<Integer> programs = fastPathOf(p);
        p.destroyForcibly(); // SIGKILL: the links die with the process's fds
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertUnloaded(programs);
        assertPortFree();
    }

    private void assertPortFree() throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                Thread.sleep(100);
            } catch (IOException refused) {
                return;
            }
        }
        throw new AssertionError("port " + port + " still accepts connections");
    }
}
