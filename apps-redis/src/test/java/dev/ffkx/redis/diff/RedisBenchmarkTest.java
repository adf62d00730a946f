package dev.ffkx.redis.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real-client check, proven on redis-server: it passes there, and it notices an error reply. */
@ExtendWith(NoLeftovers.class)
class RedisBenchmarkTest {
    private static final int REQUESTS = Integer.getInteger("rdiff.benchmark.requests", 20_000);

    @Test
    @Timeout(120)
    void redisServerPassesWithZeroErrors() throws Exception {
        try (RedisServer server = new RedisServer("redis")) {
            server.start();
            RedisBenchmark.Result r = RedisBenchmark.standard(server.host(), server.port(), REQUESTS);
            System.out.println(r.requestsPerSecond());
            assertTrue(r.clean(), r.errors() + r.output());
            assertEquals(List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)"),
                    List.copyOf(r.requestsPerSecond().keySet()), r.output());
        }
    }

    @Test
    @Timeout(120)
    void anErrorReplyFailsTheCheck() throws Exception {
        try (RedisServer server = new RedisServer("redis-no-incr", "--rename-command", "INCR", "INCR_RENAMED")) {
            server.start();
            RedisBenchmark.Result r = RedisBenchmark.standard(server.host(), server.port(), REQUESTS);
            assertFalse(r.clean(), r.output());
            assertTrue(r.errors().get(0).startsWith("Error from server: ERR unknown command 'INCR'"), r.errors().toString());
        }
    }
}
