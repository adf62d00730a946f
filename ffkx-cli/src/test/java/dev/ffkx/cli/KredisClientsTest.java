package dev.ffkx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.redis.diff.ProcessServer;
import dev.ffkx.redis.diff.RedisBenchmark;
import dev.ffkx.redis.diff.RedisServer;
import dev.ffkx.redis.diff.ZaddWorkload;
import dev.ffkx.runtime.NoLeftovers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ffkx --kredis, its own process, under issue 5's real clients: KFlex's ZADD invocation of
 * redis-benchmark, whose sorted sets must then read back (ZCARD, ZRANGE) as in a redis-server
 * given the same commands, and redis-benchmark's standard tests at pipeline 16 with no error.
 * {@code -Drdiff.zadd.requests=2000000} is KFlex's size.
 */
@ExtendWith(NoLeftovers.class)
class KredisClientsTest {
    private static final int ZADDS = Integer.getInteger("rdiff.zadd.requests", 20_000);

    private static ProcessServer kredis() {
        return new ProcessServer("ffkx --kredis", port -> List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Ffkx.class.getName(), "--kredis", "--port",
                Integer.toString(port), "--heap", "512m"), Duration.ofSeconds(60));
    }

    @Test
    @Timeout(600)
    void kflexZaddWorkloadReadsBackAsInRedisServer() throws Exception {
        try (ProcessServer ffkx = kredis();
                RedisServer reference = new RedisServer("redis-replayed")) {
            ffkx.start();
            reference.start();
            ZaddWorkload.Result r = ZaddWorkload.run(ffkx, reference, ZADDS, 20_000, 11);
            System.out.println(r.summary());
            assertTrue(r.clean(), r.summary());
            assertTrue(r.zadds() >= ZADDS, r.summary());
            assertEquals(Math.min(r.keys(), 20_000), r.checked(), r.summary());
        }
    }

    @Test
    @Timeout(300)
    void redisBenchmarkPipelinedHasNoErrors() throws Exception {
        try (ProcessServer ffkx = kredis()) {
            ffkx.start();
            RedisBenchmark.Result r = RedisBenchmark.standard(ffkx.host(), ffkx.port(), 50_000);
            System.out.println(r.requestsPerSecond());
            assertTrue(r.clean(), r.errors() + r.output());
            assertEquals(List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)"),
                    List.copyOf(r.requestsPerSecond().keySet()), r.output());
        }
    }
}
