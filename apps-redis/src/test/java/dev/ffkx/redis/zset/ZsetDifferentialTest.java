package dev.ffkx.redis.zset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of every Z* command on one key, through the layering the server will have
 * (the kernel in fast mode; ZsetSlowPath over the kernel in syscall mode when it says RD_SLOW, and
 * for the commands the fast path never takes), compared byte for byte with redis-server 7.0.
 */
class ZsetDifferentialTest {
    private static final int OPS = 20_000;
    private static final String[] SCORES = {"0", "1", "-1", "2", "3", "-3", "5", "7", "10", "42", "-0", "+5",
        "007", "9007199254740992", "-9007199254740992", "9007199254740993", "4503599627370497", "inf", "-inf",
        "+inf", "Infinity", "-INF", "0.5", "-2.5", "0.1", "1e3", "1e20", "1.5e-7", "0x10", "0x1p-2", " 1", "1 ",
        "abc", "nan", "1e400", "1e-400", "1e-310", "", "3.0", "123456789012345678", ".5", "5.", "-", "1e",
        "2.2250738585072014e-308", "1.7976931348623157e308"};
    private static final String[] FLAGS = {"NX", "XX", "GT", "LT", "CH", "INCR", "nx", "ch"};

    private final Random random = new Random(Long.getLong("zset.seed", 20261122L));
    private final ZsetSlowPath slow = new ZsetSlowPath();

    @Test
    void matchesRedis() throws Exception {
        int fast = 0, slowed = 0, direct = 0;
        try (RedisServer redis = new RedisServer(); ZsetTestKernel kernel = new ZsetTestKernel(64L << 20)) {
            for (int op = 0; op < OPS; op++) {
                List<byte[]> argv = command();
                String name = new String(argv.get(0), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                byte[] ours;
                // a command too large for the fast path's buffer goes up whole, as from the sk_skb program
                if (ZsetTestKernel.COMMANDS.containsKey(name) && ZsetTestKernel.fits(argv)) {
                    ZsetTestKernel.Result r = kernel.run(argv, ZsetTestKernel.FAST);
                    if (r.ret() == ZsetTestKernel.RD_SLOW) {
                        ours = slow.execute(argv, kernel::syscall);
                        slowed++;
                    } else {
                        assertTrue(r.ret() >= 0, () -> "kernel failed " + show(argv) + ": " + r.ret());
                        ours = r.reply();
                        fast++;
                    }
                } else {
                    ours = slow.execute(argv, kernel::syscall);
                    direct++;
                }
                byte[] theirs = redis.call(argv);
                int n = op;
                assertEquals(new String(theirs, StandardCharsets.ISO_8859_1), new String(ours, StandardCharsets.ISO_8859_1),
                        () -> "op " + n + ": " + show(argv) + where(theirs, ours));
            }
        }
        System.out.printf("zset differential: %d fast, %d fast->slow, %d slow only%n", fast, slowed, direct);
        assertTrue(fast > OPS / 4 && slowed > 0 && direct > 0);
    }

    /** Where two replies part, with a little of each from there. */
    private static String where(byte[] a, byte[] b) {
        int i = java.util.Arrays.mismatch(a, b);
        return "\nfirst difference at byte " + i + ": redis [" + snippet(a, i) + "] ffkx [" + snippet(b, i) + "]\n";
    }

    private static String snippet(byte[] r, int from) {
        int start = Math.max(0, from - 40);
        return new String(r, start, Math.min(r.length, from + 40) - start, StandardCharsets.ISO_8859_1)
                .replace("\r\n", "|");
    }

    private static String show(List<byte[]> argv) {
        StringBuilder b = new StringBuilder();
        for (byte[] a : argv) {
            b.append('[').append(new String(a, StandardCharsets.ISO_8859_1)).append("] ");
        }
        return b.toString();
    }

    private String member() {
        int r = random.nextInt(100);
        if (r < 2) {
            return "";
        }
        if (r < 4) {
            return "m".repeat(20 + random.nextInt(60));
        }
        return "m" + random.nextInt(150);
    }

    private String score() {
        if (random.nextInt(4) > 0) {
            return Integer.toString(random.nextInt(41) - 20);
        }
        return SCORES[random.nextInt(SCORES.length)];
    }

    private String bound() {
        String b = random.nextInt(3) == 0 ? "(" : "";
        return b + score();
    }

    private String index() {
        int r = random.nextInt(10);
        if (r == 0) {
            return random.nextBoolean() ? "01" : "x";
        }
        return Integer.toString(random.nextInt(80) - 40);
    }

    private List<byte[]> command() {
        List<String> a = new ArrayList<>();
        int kind = random.nextInt(100);
        if (kind < 35) {
            a.add(random.nextBoolean() ? "ZADD" : "zadd");
            a.add("z");
            int flags = random.nextInt(4) == 0 ? random.nextInt(3) : 0;
            for (int i = 0; i < flags; i++) {
                a.add(FLAGS[random.nextInt(FLAGS.length)]);
            }
            int pairs = 1 + random.nextInt(random.nextInt(10) == 0 ? (random.nextInt(5) == 0 ? 45 : 12) : 3);
            for (int i = 0; i < pairs; i++) {
                a.add(score());
                a.add(member());
            }
            if (random.nextInt(40) == 0 && a.size() > 4) { // arity is the caller's check
                a.remove(a.size() - 1);
            }
        } else if (kind < 42) {
            a.addAll(List.of("ZINCRBY", "z", score(), member()));
        } else if (kind < 50) {
            a.addAll(List.of("ZSCORE", "z", member()));
        } else if (kind < 53) {
            a.addAll(List.of("ZCARD", "z"));
        } else if (kind < 60) {
            a.addAll(List.of("ZRANK", "z", member()));
        } else if (kind < 68) {
            a.addAll(List.of("ZREM", "z"));
            int n = 1 + random.nextInt(random.nextInt(20) == 0 ? 90 : 3);
            for (int i = 0; i < n; i++) {
                a.add(member());
            }
        } else if (kind < 80) {
            a.add("ZRANGE");
            a.add("z");
            boolean byScore = random.nextInt(3) == 0;
            a.add(byScore ? bound() : index());
            a.add(byScore ? bound() : index());
            if (byScore) {
                a.add("BYSCORE");
            }
            options(a, true);
        } else if (kind < 85) {
            a.addAll(List.of("ZREVRANGE", "z", index(), index()));
            options(a, false);
        } else if (kind < 91) {
            a.addAll(List.of(random.nextBoolean() ? "ZRANGEBYSCORE" : "ZREVRANGEBYSCORE", "z", bound(), bound()));
            options(a, false);
        } else {
            a.addAll(List.of("ZCOUNT", "z", bound(), bound()));
        }
        List<byte[]> argv = new ArrayList<>();
        a.forEach(s -> argv.add(s.getBytes(StandardCharsets.ISO_8859_1)));
        return argv;
    }

    private void options(List<String> a, boolean rev) {
        if (rev && random.nextInt(3) == 0) {
            a.add(random.nextBoolean() ? "REV" : "rev");
        }
        if (random.nextInt(3) == 0) {
            a.add("LIMIT");
            a.add(Integer.toString(random.nextInt(12) - 2));
            a.add(Integer.toString(random.nextInt(12) - 2));
        }
        if (random.nextBoolean()) {
            a.add(random.nextBoolean() ? "WITHSCORES" : "withscores");
        }
        if (random.nextInt(30) == 0) {
            a.add("BOGUS");
        }
    }
}
