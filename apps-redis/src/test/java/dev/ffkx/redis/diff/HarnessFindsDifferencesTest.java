package dev.ffkx.redis.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.diff.DiffReport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A clean self-diff proves nothing unless the harness also notices when servers differ. These
 * tested servers are redis-server configured to answer differently in known ways.
 */
@ExtendWith(NoLeftovers.class)
class HarnessFindsDifferencesTest {
    @Test
    @Timeout(60)
    void aMemoryLimitShowsAsRefusedWrites() throws Exception {
        List<Command> script = List.of(
                // Reading 300 KB takes redis-server (about 900 KB when idle) past the tested one's 1 MB.
                Command.resp("SET", "big", "v".repeat(300_000)),
                Command.resp("GET", "big"),
                Command.resp("DEL", "big"),
                Command.resp("PING"));
        try (RedisServer ref = new RedisServer("redis");
                RedisServer small = new RedisServer("redis-1mb", "--maxmemory", "1mb", "--maxmemory-policy", "noeviction")) {
            DiffReport report = run(ref, small, script);
            assertEquals(3, report.differences(), report.summary());
            DiffReport.Difference first = report.kept().get(0);
            assertEquals(0, first.index());
            assertEquals("REPLY", first.kind());
            assertEquals("+OK\\r\\n", first.reference());
            assertEquals("-OOM command not allowed when used memory > 'maxmemory'.\\r\\n", first.tested());
            assertEquals(1, report.kept().get(1).index());
            assertEquals("$-1\\r\\n", report.kept().get(1).tested());
            assertEquals(":0\\r\\n", report.kept().get(2).tested());
        }
    }

    @Test
    @Timeout(60)
    void aMissingCommandIsFoundInARandomRun() throws Exception {
        try (RedisServer ref = new RedisServer("redis");
                RedisServer renamed = new RedisServer("redis-no-zadd", "--rename-command", "ZADD", "ZADD_RENAMED")) {
            ref.start();
            renamed.start();
            try (DiffSession session = DiffSession.open(ref, renamed, 11)) {
                DiffReport report = session.run(new CommandGenerator(11), 2000);
                System.out.println(report.summary());
                assertFalse(report.clean(), report.summary());
                DiffReport.Difference first = report.kept().get(0);
                assertTrue(first.command().toUpperCase().contains("ZADD"), report.summary());
                assertTrue(first.tested().startsWith("-ERR unknown command 'ZADD'")
                        || first.tested().startsWith("-ERR unknown command 'zadd'")
                        || first.tested().startsWith("-ERR unknown command 'Zadd'"), report.summary());
            }
        }
    }

    @Test
    @Timeout(60)
    void aConnectionClosedEarlyPutsTheRunOutOfStepOnce() throws Exception {
        // The tested server reads at most 1 KB of a bulk string in a request, so the large
        // value is a protocol error that closes the connection there and nowhere else.
        List<Command> script = List.of(
                Command.resp("SET", "a", "x"),
                Command.resp("SET", "big", "v".repeat(2 * 1024 * 1024)),
                Command.resp("GET", "a"),
                Command.resp("PING"));
        try (RedisServer ref = new RedisServer("redis");
                RedisServer strict = new RedisServer("redis-bulk-1mb", "--proto-max-bulk-len", "1mb")) {
            DiffReport report = run(ref, strict, script);
            assertFalse(report.clean(), report.summary());
            DiffReport.Difference first = report.kept().get(0);
            assertEquals(1, first.index(), report.summary());
            assertEquals("-ERR Protocol error: invalid bulk length\\r\\n", first.tested(), report.summary());
        }
    }

    private static DiffReport run(ServerUnderTest ref, ServerUnderTest tested, List<Command> script) throws Exception {
        ref.start();
        tested.start();
        try (DiffSession session = DiffSession.open(ref, tested, 7)) {
            DiffReport report = session.run(script);
            System.out.println(report.summary());
            return report;
        }
    }
}
