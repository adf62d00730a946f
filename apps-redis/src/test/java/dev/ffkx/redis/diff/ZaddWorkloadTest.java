package dev.ffkx.redis.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * KFlex's ZADD workload against redis-server, checked against a second redis-server that was
 * given the recorded commands: proves the record-and-replay makes both hold the same data. A
 * quick run by default; {@code -Drdiff.zadd.requests=2000000} is KFlex's size.
 */
@ExtendWith(NoLeftovers.class)
class ZaddWorkloadTest {
    private static final int REQUESTS = Integer.getInteger("rdiff.zadd.requests", 20_000);
    private static final int CHECKED = Integer.getInteger("rdiff.zadd.checked", 20_000);

    @Test
    @Timeout(600)
    void recordedCommandsRebuildTheSameSortedSets() throws Exception {
        try (RedisServer tested = new RedisServer("redis-benchmarked");
                RedisServer reference = new RedisServer("redis-replayed")) {
            tested.start();
            reference.start();
            ZaddWorkload.Result result = ZaddWorkload.run(tested, reference, REQUESTS, CHECKED, 5);
            System.out.println(result.summary());
            assertTrue(result.clean(), result.summary());
            assertTrue(result.zadds() >= REQUESTS, result.summary());
            // -r 1000000: a million keys, so a quick run's ZADDs mostly make one each (KFlex's
            // 2,000,000 hit about 865,000).
            assertTrue(result.keys() > Math.min(REQUESTS, 1_000_000) / 2, result.summary());
            assertEquals(Math.min(result.keys(), CHECKED), result.checked(), result.summary());
            assertEquals(1 + 2L * result.checked(), result.report().commands(), result.summary());
        }
    }
}
