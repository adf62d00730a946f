package dev.ffkx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The comparison in quick mode: every row present, the files written, nothing left behind. */
@ExtendWith(NoLeftovers.class)
class FfkxBenchTest {
    @Test
    void quickMemcachedComparison(@TempDir Path dir) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cmd = FfkxBench.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute("net", "memcached", "--quick", "--out", dir.toString());
        String table = out.toString();
        assertEquals(0, exit, table + err);

        List<String> lines = table.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("memcached -t 2") && l.contains("ffkx-load udp")), table);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("memcached -t 2") && l.contains("memcaslap tcp")), table);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("XDP echo") && l.contains("ffkx-load udp") && l.contains("x")), table);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ffkx --kmemcached") && l.contains("not available yet")), table);

        String json = Files.readString(dir.resolve("net-memcached.json"));
        assertTrue(json.contains("\"XDP echo (ceiling)\""), json);
        assertTrue(Files.size(dir.resolve("net-memcached.png")) > 1000, "the chart is written");
        assertEquals(List.of(), ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList(),
                "server or client processes left running");
    }

    @Test
    void withoutASubcommandItShowsUsage() {
        StringWriter out = new StringWriter();
        var cmd = FfkxBench.commandLine();
        cmd.setOut(new PrintWriter(out));
        assertEquals(picocli.CommandLine.ExitCode.USAGE, cmd.execute());
        assertTrue(out.toString().contains("net"), out.toString());
    }
}
