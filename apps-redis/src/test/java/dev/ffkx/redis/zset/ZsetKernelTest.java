package dev.ffkx.redis.zset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel executor on its own, in both modes. */
class ZsetKernelTest {
    private static ZsetTestKernel kernel;

    @BeforeAll
    static void load() {
        kernel = new ZsetTestKernel(64L << 20);
    }

    @AfterAll
    static void close() {
        kernel.close();
    }

    static List<byte[]> args(String command) {
        List<byte[]> argv = new ArrayList<>();
        for (String a : command.split(" ")) {
            argv.add(a.getBytes(StandardCharsets.ISO_8859_1));
        }
        return argv;
    }

    private static String fast(String command) {
        ZsetTestKernel.Result r = kernel.run(args(command), ZsetTestKernel.FAST);
        return r.ret() == ZsetTestKernel.RD_SLOW ? "SLOW" : r.ret() < 0 ? "ERR" + r.ret()
                : new String(r.reply(), StandardCharsets.ISO_8859_1);
    }

    private static String sys(String command) {
        return new String(kernel.syscall(args(command)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void fastPath() {
        assertEquals(":2\r\n", fast("ZADD k 1 a 2 b"));
        assertEquals(":2\r\n", fast("ZCARD k"));
        assertEquals("$1\r\n2\r\n", fast("ZSCORE k b"));
        assertEquals(":1\r\n", fast("ZRANK k b"));
        assertEquals("$-1\r\n", fast("ZRANK k c"));
        assertEquals("$1\r\n7\r\n", fast("ZINCRBY k 5 b"));
        assertEquals("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n7\r\n", fast("ZRANGE k 0 -1 WITHSCORES"));
        assertEquals("SLOW", fast("ZADD k 0.5 c"));
        assertEquals(":1\r\n", fast("ZADD k -inf c"));
        assertEquals("$4\r\n-inf\r\n", fast("ZSCORE k c"));
        assertEquals("-ERR resulting score is not a number (NaN)\r\n", fast("ZINCRBY k +inf c"));
        assertEquals(":2\r\n", fast("ZCOUNT k (-inf 7"));
        assertEquals(":2\r\n", fast("ZREM k a c x"));
        assertEquals(":1\r\n", fast("ZCARD k"));
        assertEquals(":1\r\n", fast("ZREM k b"));
        assertEquals(":0\r\n", fast("ZCARD k"));
        assertEquals("*0\r\n", fast("ZRANGE k 0 -1"));
    }

    /** ZINCRBY adds in the kernel without floating point: it must round exactly as Java's + does. */
    @Test
    void additionIsIeee754() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            double a = operand(random), b = i % 3 == 0 ? -a * (1 + random.nextInt(3) * Math.ulp(1.0)) : operand(random);
            if (Double.isNaN(a) || Double.isNaN(b)) {
                continue;
            }
            kernel.syscall(List.of(bytes("ZADD"), bytes("x"), Scores.toKernel(a), bytes("m")));
            String got = new String(kernel.syscall(List.of(bytes("ZINCRBY"), bytes("x"), Scores.toKernel(b), bytes("m"))),
                    StandardCharsets.ISO_8859_1);
            double sum = a + b;
            String want = Double.isNaN(sum) ? "-ERR resulting score is not a number (NaN)\r\n"
                    : String.format(",%016x\r\n", Double.doubleToRawLongBits(sum));
            assertEquals(want, got, a + " + " + b);
        }
        kernel.syscall(List.of(bytes("ZREM"), bytes("x"), bytes("m")));
    }

    private static double operand(java.util.Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> Double.longBitsToDouble(r.nextLong());             // anything, NaN skipped
            case 1 -> Double.longBitsToDouble(r.nextLong() & 0x800fffffffffffffL); // subnormal or zero
            case 2 -> (r.nextInt(2000) - 1000) / 8.0;
            case 3 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 4 -> r.nextGaussian() * Math.pow(2, r.nextInt(200) - 100);
            default -> r.nextBoolean() ? Double.MAX_VALUE : -Double.MIN_NORMAL;
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void syscallPath() {
        assertEquals(":1\r\n", sys("ZADD s #3fb999999999999a m"));
        assertEquals(",3fb999999999999a\r\n", sys("ZSCORE s m"));
        assertEquals(",3fc999999999999a\r\n", sys("ZINCRBY s #3fb999999999999a m"));
        assertEquals("$1\r\nm\r\n,3fc999999999999a\r\n", sys("ZRANGE s 0 -1 WITHSCORES"));
        assertEquals(":1\r\n", sys("ZREM s m"));
    }
}
