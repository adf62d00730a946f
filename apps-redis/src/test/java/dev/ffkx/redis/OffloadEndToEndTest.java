package dev.ffkx.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.NoLeftovers;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The offload in this JVM on a free loopback port, next to a real redis-server 7.0 started here:
 * real clients against both, and the same bytes sent to both must get the same bytes back.
 */
@ExtendWith(NoLeftovers.class)
class OffloadEndToEndTest {
    private static RedisOffload offload;
    private static RedisServerProcess redis;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServerProcess();
        offload = RedisOffload.start(new RedisOffload.Options("127.0.0.1", 0, 64L << 20, false));
    }

    @AfterAll
    static void stop() {
        try {
            if (offload != null) {
                offload.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    private static String mb(String... argv) {
        StringBuilder b = new StringBuilder("*" + argv.length + "\r\n");
        for (String a : argv) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    /** A script over every command of the string server, fast and slow, multibulk and inline. */
    private static String script(String p) {
        return mb("FLUSHALL") + mb("SET", p + "k", "v1") + mb("GET", p + "k") + mb("GET", p + "none")
                + mb("SET", p + "k", "v2", "XX", "GET") + mb("SET", p + "k", "v3", "NX") + "GET " + p + "k\r\n"
                + mb("DEL", p + "k", p + "k", p + "none") + mb("EXISTS", p + "k") + mb("INCR", p + "c")
                + mb("INCRBY", p + "c", "10") + "DECRBY " + p + "c 3\r\n" + mb("DECR", p + "c") + mb("INCRBY", p + "c", "x")
                + mb("SET", p + "s", "abc") + mb("INCR", p + "s") + mb("MGET", p + "c", p + "s", p + "none")
                + mb("TTL", p + "c") + mb("EXPIRE", p + "c", "100") + mb("TTL", p + "c") + mb("PERSIST", p + "c")
                + mb("TTL", p + "c") + mb("EXPIRE", p + "c", "10", "foo") + mb("EXPIRE", p + "c", "10", "nx", "xx")
                + mb("FOO", "a", "b") + "bar\r\n" + mb("get") + mb("PING") + mb("PING", "hi") + mb("PING", "a", "b")
                + mb("ECHO", "hello") + mb("SELECT", "0") + mb("SELECT", "1") + mb("SELECT", "x")
                + mb("CONFIG", "GET", "save") + mb("CONFIG", "GET", "appendonly") + mb("CONFIG", "GET")
                + mb("CLIENT", "SETNAME", "me") + mb("CLIENT", "GETNAME") + mb("CLIENT", "SETINFO", "lib-name", "x")
                + mb("MSET", p + "a", "1", p + "b", "2") + mb("MGET", p + "a", p + "b") + mb("MSET", p + "a")
                + "SET \"" + p + "q k\" \"v\\x41\\n\"\r\n" + "GET '" + p + "q k'\r\n" + "\r\n" + "*0\r\n"
                + mb("SET", p + "e", "x", "EX", "0") + mb("SET", p + "e", "x", "PX", "100000")
                + mb("SET", p + "e", "y", "KEEPTTL") + mb("DBSIZE") + mb("SET", p + "k", "v", "ex") + mb("INCR", p + "big", "1")
                + mb("FLUSHDB", "ASYNC") + mb("DBSIZE") + mb("FLUSHALL", "x");
    }

    private static void assertSameAsRedis(List<byte[]> pieces, String what) throws Exception {
        byte[] want = Wire.exchange(redis.port, pieces, -1, 500);
        byte[] got = Wire.exchange(offload.port(), pieces, want.length, 5000);
        assertEquals(Wire.text(want), Wire.text(got), what);
    }

    @Test
    void pipelinedScriptIsByteIdenticalToRedis() throws Exception {
        assertSameAsRedis(List.of(Wire.bytes(script("p:"))), "one write");
    }

    @Test
    void commandsSplitAcrossSegmentsAnswerAlike() throws Exception {
        byte[] all = Wire.bytes(script("s:"));
        Random rnd = new Random(42);
        List<byte[]> pieces = new ArrayList<>();
        for (int at = 0; at < all.length; ) {
            int n = Math.min(all.length - at, 1 + rnd.nextInt(24));
            byte[] piece = new byte[n];
            System.arraycopy(all, at, piece, 0, n);
            pieces.add(piece);
            at += n;
        }
        assertSameAsRedis(pieces, "split into " + pieces.size() + " writes");
    }

    @Test
    void largeValuesAnswerAlike() throws Exception {
        String a = "a".repeat(100_000), b = "b".repeat(5_000), c = "c".repeat(3_000);
        String script = mb("SET", "lv:a", a) + mb("GET", "lv:a") + mb("SET", "lv:b", b, "NX") + mb("SET", "lv:b", c, "NX")
                + mb("GET", "lv:b") + mb("MGET", "lv:a", "lv:b", "lv:none") + mb("SET", "lv:c", c, "EX", "100")
                + mb("TTL", "lv:c") + mb("SET", "lv:a", c, "XX") + mb("GET", "lv:a") + mb("DEL", "lv:a", "lv:b")
                + mb("GET", "lv:a") + mb("INCR", "lv:c") + mb("DEL", "lv:c");
        byte[] all = Wire.bytes(script);
        List<byte[]> pieces = new ArrayList<>();
        for (int at = 0; at < all.length; at += 1448) {
            byte[] piece = new byte[Math.min(1448, all.length - at)];
            System.arraycopy(all, at, piece, 0, piece.length);
            pieces.add(piece);
        }
        assertSameAsRedis(pieces, "values of 3 KB to 100 KB");
    }

    /** Keys past RD_KEY_MAX: writes get a clear error, lookups the answer for a missing key, and the connection goes on. */
    @Test
    void keysLongerThanTheStoreTakesGetAClearError() throws Exception {
        String key = "k".repeat(RedisKernel.KEY_MAX + 1);
        String refused = "-ERR ffkx: keys longer than 1024 bytes are beyond this version's limits\r\n";
        String want = refused + "$-1\r\n" + refused + ":0\r\n" + "+OK\r\n" + "+PONG\r\n";
        byte[] got = Wire.exchange(offload.port(), List.of(Wire.bytes(mb("SET", key, "v") + mb("GET", key)
                + mb("INCR", key) + mb("EXISTS", key) + mb("SET", "k".repeat(RedisKernel.KEY_MAX), "v") + mb("PING"))),
                want.length(), 5000);
        assertEquals(want, Wire.text(got));
    }

    /** ffkx --kmemcache serves no sorted sets: their commands get the error of a Redis that lacks them. */
    @Test
    void sortedSetCommandsAreUnknownWithoutKredis() throws Exception {
        String want = "-ERR unknown command 'ZADD', with args beginning with: 'uz' '1' 'm' \r\n"
                + "-ERR unknown command 'zrange', with args beginning with: 'uz' '0' '-1' \r\n";
        byte[] got = Wire.exchange(offload.port(), List.of(Wire.bytes(mb("ZADD", "uz", "1", "m") + "zrange uz 0 -1\r\n")),
                want.length(), 5000);
        assertEquals(want, Wire.text(got));
    }

    @Test
    void protocolErrorsReplyAndClose() throws Exception {
        for (String bad : List.of("*x\r\nPING\r\n", "*2\r\n$3\r\nGET\r\nx\r\n", "*1\r\n$-1\r\n", "\"abc\r\nPING\r\n",
                mb("SET", "pe", "1") + "*1\r\n$x\r\n" + mb("GET", "pe"), mb("QUIT") + mb("PING"))) {
            assertSameAsRedis(List.of(Wire.bytes(bad)), bad);
        }
    }

    /** Fast (SET/GET/INCR) and slow (unknown, CLIENT, CONFIG) commands interleaved keep request order. */
    @Test
    void mixedPipelinesKeepOrder() throws Exception {
        Random rnd = new Random(7);
        StringBuilder b = new StringBuilder(mb("FLUSHALL"));
        for (int i = 0; i < 2000; i++) {
            String key = "o:" + rnd.nextInt(50);
            b.append(switch (rnd.nextInt(6)) {
                case 0 -> mb("SET", key, "v" + i);
                case 1 -> mb("GET", key);
                case 2 -> mb("INCR", "o:n" + rnd.nextInt(5));
                case 3 -> mb("CLIENT", "GETNAME");
                case 4 -> mb("NOPE" + i);
                default -> mb("ECHO", "e" + i);
            });
        }
        byte[] all = Wire.bytes(b.toString());
        List<byte[]> pieces = new ArrayList<>();
        for (int at = 0; at < all.length; at += 1400) {
            byte[] piece = new byte[Math.min(1400, all.length - at)];
            System.arraycopy(all, at, piece, 0, piece.length);
            pieces.add(piece);
        }
        assertSameAsRedis(pieces, "2000 mixed commands");
    }

    private static String run(File stdin, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (stdin != null) {
            pb.redirectInput(stdin);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    @Test
    void redisCliOneShotAndPiped() throws Exception {
        String port = Integer.toString(offload.port());
        assertEquals("OK\n", run(null, "redis-cli", "-p", port, "SET", "cli:k", "hello world"));
        assertEquals("hello world\n", run(null, "redis-cli", "-p", port, "GET", "cli:k"));
        assertEquals("1\n", run(null, "redis-cli", "-p", port, "DEL", "cli:k"));
        File f = File.createTempFile("redis-cli", ".txt");
        try {
            Files.writeString(f.toPath(), "SET cli:a 1\nINCRBY cli:a 41\nGET cli:a\nMGET cli:a cli:none\n"
                    + "TTL cli:a\nNOPE x\nGET\nDEL cli:a\n");
            assertEquals(run(f, "redis-cli", "-p", Integer.toString(redis.port)), run(f, "redis-cli", "-p", port));
        } finally {
            f.delete();
        }
    }

    @Test
    void redisBenchmarkPipelinedHasNoErrors() throws Exception {
        String out = run(null, "redis-benchmark", "-p", Integer.toString(offload.port()), "-t", "ping,set,get,incr,mset",
                "-P", "16", "-n", "100000", "-q");
        for (String test : List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET")) {
            assertTrue(out.lines().flatMap(l -> List.of(l.split("\r")).stream())
                    .anyMatch(l -> l.startsWith(test) && l.contains("requests per second")), test + " in " + out);
        }
        assertFalse(out.toLowerCase().contains("error"), out);
    }
}
