package dev.ffkx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.net.Interfaces;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ffkx --kmemcached as a user runs it: its own process on a sandbox veth, driven by memcaslap
 * from the namespace, stopped by SIGTERM or killed, and leaving nothing attached either way.
 */
@ExtendWith(NoLeftovers.class)
class MemcachedOffloadTest {
    private SandboxedMemcached ffkx;

    @BeforeEach
    void sandbox() throws IOException {
        ffkx = new SandboxedMemcached();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        ffkx.close();
    }

    private String memcaslap(boolean udp) {
        List<String> cmd = new ArrayList<>(List.of("memcaslap", "-s", ffkx.sandbox.hostAddress() + ":" + ffkx.port,
                "-t", "2s", "-c", "8", "-T", "1", "-X", "32"));
        if (udp) {
            cmd.add("-U");
        }
        return ffkx.sandbox.namespace().exec(cmd.toArray(String[]::new));
    }

    private static void assertClean(String report) {
        assertTrue(report.contains("get_misses: 0"), report);
        if (report.contains("udp_timeout")) {
            assertTrue(report.contains("packet_drop: 0") && report.contains("udp_timeout: 0"), report);
        }
        assertFalse(report.contains("Ops: 0 "), report);
    }

    @Test
    void memcaslapOverUdpAndTcpWithoutErrorsThenSigtermDetaches() throws Exception {
        List<String> out = new ArrayList<>();
        Process p = ffkx.start(out);
        assertTrue(p.isAlive(), String.join("\n", out));
        assertTrue(Interfaces.withXdp().contains(ffkx.sandbox.hostDevice()));

        assertClean(memcaslap(true));
        assertClean(memcaslap(false));

        List<String> second = new ArrayList<>();
        Process again = ffkx.start(second);
        assertTrue(again.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, again.exitValue());
        assertTrue(String.join("\n", second).contains("already in use"), String.join("\n", second));

        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join("\n", out));
        assertFalse(Interfaces.withXdp().contains(ffkx.sandbox.hostDevice()), "detached on SIGTERM");
        assertTrue(out.stream().anyMatch(l -> l.startsWith("stats:")), String.join("\n", out));
    }

    @Test
    void killNineLeavesNothingAttached() throws Exception {
        Process p = ffkx.start(new ArrayList<>());
        assertTrue(Interfaces.withXdp().contains(ffkx.sandbox.hostDevice()));
        p.destroyForcibly(); // SIGKILL: the XDP link dies with the process's fds
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        for (int i = 0; i < 50 && Interfaces.withXdp().contains(ffkx.sandbox.hostDevice()); i++) {
            Thread.sleep(100);
        }
        assertFalse(Interfaces.withXdp().contains(ffkx.sandbox.hostDevice()), "nothing attached after kill -9");
    }
}
