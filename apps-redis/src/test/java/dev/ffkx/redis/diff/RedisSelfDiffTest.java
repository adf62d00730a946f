package dev.ffkx.redis.diff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.diff.DiffReport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * redis-server against redis-server: two instances alike must answer a long random run
 * identically. This proves the harness itself (generator, framing, comparison) before it is
 * pointed at ffkx; a single difference here is a harness bug or a source of nondeterminism the
 * generator must avoid.
 */
@ExtendWith(NoLeftovers.class)
class RedisSelfDiffTest {
    private static final int COMMANDS = Integer.getInteger("rdiff.commands", 50_000);
    private static final long SEED = Long.getLong("rdiff.seed", 20_261_122L);

    /** What every run must have exercised, by command and reply kind (see {@link ReplyKinds}). */
    static final List<String> COVERED = List.of("PING +PONG", "PING $", "ECHO $", "GET $", "GET $-1",
            "GET -WRONGTYPE Operation against a key holding the wrong kind of value",
            "GET -ERR wrong number of arguments for '…' command", "SET +OK", "SET $-1", "SET $",
            "SET -ERR syntax error", "SET -ERR invalid expire time in '…' command", "DEL :", "EXISTS :", "INCR :",
            "INCRBY :", "DECR :", "DECRBY :", "INCR -ERR value is not an integer or out of range",
            "INCRBY -ERR increment or decrement would overflow", "MGET *", "ZADD :", "ZADD $", "ZADD $-1",
            "ZADD -ERR value is not a valid float", "ZADD -ERR syntax error",
            "ZADD -ERR XX and NX options at the same time are not compatible",
            "ZADD -ERR GT, LT, and/or NX options at the same time are not compatible",
            "ZADD -ERR INCR option supports a single increment-element pair",
            "ZADD -WRONGTYPE Operation against a key holding the wrong kind of value", "ZINCRBY $", "ZSCORE $",
            "ZSCORE $-1", "ZCARD :", "ZRANK :", "ZRANK $-1", "ZREM :", "ZRANGE *", "ZRANGE -ERR syntax error",
            "ZRANGE -ERR min or max is not a float", "ZREVRANGE *", "ZRANGEBYSCORE *", "TTL :", "PTTL :", "EXPIRE :",
            "PERSIST :", "DBSIZE :", "SELECT +OK", "CONFIG GET *", "HELLO *", "HELLO -NOPROTO unsupported protocol version",
            "CLIENT SETNAME +OK", "INFO $", "COMMAND COUNT :", "COMMAND DOCS *", "(unknown) -ERR unknown command '…', with args beginning with: ",
            "(empty) (no reply)", "QUIT +OK", "(malformed) -ERR Protocol error: invalid multibulk length",
            "(malformed) -ERR Protocol error: unbalanced quotes in request");

    @Test
    @Timeout(180)
    void pipelinedAndSplit() throws Exception {
        try (RedisServer a = new RedisServer("redis-a");
                RedisServer b = new RedisServer("redis-b")) {
            a.start();
            b.start();
            long started = System.nanoTime();
            DiffReport report;
            try (DiffSession session = DiffSession.open(a, b, SEED)) {
                report = session.run(new CommandGenerator(SEED), COMMANDS);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            System.out.println(report.summary() + "took " + took.toMillis() + " ms (seed " + SEED + ")");
            assertTrue(report.clean(), report.summary());
            assertTrue(report.commands() >= COMMANDS, report.summary());
            for (String kind : COVERED) {
                assertTrue(report.referenceReplyKinds().getOrDefault(kind, 0L) > 0, "no " + kind + " in " + report.summary());
            }
        }
    }
}
