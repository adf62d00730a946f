package dev.ffkx.redis.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.diff.DiffReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The offload (strings and sorted sets, as {@code ffkx --kredis}) against redis-server 7.0: the
 * same random run, pipelined and split at random bytes, must get byte-identical replies. HELLO 3
 * is left out of the run: the offload declines RESP3 with -NOPROTO, as the issue asks.
 * {@code -Drdiff.commands=N} and {@code -Drdiff.seed=S} make it longer or different.
 */
@ExtendWith(NoLeftovers.class)
class FfkxRedisDiffTest {
    private static final int COMMANDS = Integer.getInteger("rdiff.commands", 50_000);
    private static final long SEED = Long.getLong("rdiff.seed", 20_261_122L);

    @Test
    @Timeout(300)
    void kredisAnswersAsRedisServer() throws Exception {
        try (RedisServer redis = new RedisServer("redis");
                InProcessOffload ffkx = new InProcessOffload(true)) {
            redis.start();
            ffkx.start();
            DiffReport report;
            try (DiffSession session = DiffSession.open(redis, ffkx, SEED)) {
                report = session.run(new CommandGenerator(SEED, false), COMMANDS);
            }
            System.out.println(report.summary() + "(seed " + SEED + ")");
            assertTrue(report.clean(), report.summary());
            assertTrue(report.commands() >= COMMANDS, report.summary());
        }
    }
}
