package dev.ffkx.redis.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ffkx.runtime.NoLeftovers;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** redis-cli one-shot and piped, on redis-server: what a server under test must answer alike. */
@ExtendWith(NoLeftovers.class)
class RedisCliTest {
    @Test
    @Timeout(60)
    void oneShotAndPiped() throws Exception {
        try (RedisServer server = new RedisServer("redis")) {
            server.start();
            String h = server.host();
            int p = server.port();
            assertEquals("PONG", RedisCli.oneShot(h, p, "PING"));
            assertEquals("OK", RedisCli.oneShot(h, p, "SET", "k", "v w"));
            assertEquals("v w", RedisCli.oneShot(h, p, "GET", "k"));
            assertEquals("", RedisCli.oneShot(h, p, "GET", "missing"));
            assertEquals("2", RedisCli.oneShot(h, p, "ZADD", "z", "1.5", "a", "-inf", "b"));
            assertEquals("b\n-inf\na\n1.5", RedisCli.oneShot(h, p, "ZRANGE", "z", "0", "-1", "WITHSCORES"));
            assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                    RedisCli.oneShot(h, p, "GET", "z"));
            ByteArrayOutputStream cmds = new ByteArrayOutputStream();
            for (int i = 0; i < 1000; i++) {
                cmds.writeBytes(Resp.command("SET", "key:" + i, "value:" + i));
                cmds.writeBytes(Resp.command("ZADD", "pz", Integer.toString(i), "m" + i));
            }
            cmds.writeBytes(Resp.command("INCR", "key:1"));
            RedisCli.Piped piped = RedisCli.pipe(h, p, cmds.toByteArray());
            assertEquals(1, piped.errors(), piped.output());
            assertEquals(2001, piped.replies(), piped.output());
            assertEquals("1000", RedisCli.oneShot(h, p, "ZCARD", "pz"));
            assertEquals("1003", RedisCli.oneShot(h, p, "DBSIZE")); // k, z, pz and 1000 keys
        }
    }
}
