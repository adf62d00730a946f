package dev.ffkx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FfkxBenchTest {
    @Test
    void helpNamesTheFilterQuickModeAndJmhPassThrough() {
        StringWriter out = new StringWriter();
        CommandLine cmd = FfkxBench.commandLine();
        cmd.setOut(new PrintWriter(out));
        assertEquals(0, cmd.execute("--help"));
        assertTrue(out.toString().contains("--quick"), out.toString());
        assertTrue(out.toString().contains("-f, --filter=REGEX"), out.toString());
        assertTrue(out.toString().contains("JMH_OPTION"), out.toString());
    }

    @Test
    void jmhOptionsAfterTheSeparatorAreNotOurs() {
        CommandLine cmd = FfkxBench.commandLine();
        CommandLine.ParseResult parsed = cmd.parseArgs("-f", "hashmap", "--", "-f", "2", "-wi", "3");
        assertEquals("hashmap", parsed.matchedOptionValue("-f", null).toString());
        assertEquals(java.util.List.of("-f", "2", "-wi", "3"), parsed.matchedPositionalValue(0, null));
    }

    @Test
    void aBadFilterIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cmd = FfkxBench.commandLine();
        cmd.setErr(new PrintWriter(err));
        assertEquals(CommandLine.ExitCode.USAGE, cmd.execute("-f", "("));
    }
}
