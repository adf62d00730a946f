package dev.ffkx.redis.zset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Score parsing and printing; every expectation was taken from redis-server 7.0.15 (ZADD, ZSCORE, ZCOUNT). */
class ScoresTest {
    private static String stored(String argument) {
        OptionalDouble d = Scores.parse(argument.getBytes(StandardCharsets.ISO_8859_1));
        return d.isPresent() ? Scores.format(d.getAsDouble()) : "ERR";
    }

    @Test
    void printsLikePercent17g() {
        assertEquals("0.10000000000000001", stored("0.1"));
        assertEquals("1e+20", stored("1e20"));
        assertEquals("10000000000000000", stored("1e16"));
        assertEquals("1e+17", stored("1e17"));
        assertEquals("123.456", stored("123.456"));
        assertEquals("1.4999999999999999e-07", stored("1.5e-7"));
        assertEquals("2.4999999999999999e-07", stored("2.5e-7"));
        assertEquals("0.0001", stored("0.0001"));
        assertEquals("1.0000000000000001e-05", stored("0.00001"));
        assertEquals("4.9406564584124654e-324", stored("5e-324"));
        assertEquals("1.7976931348623157e+308", stored("1.7976931348623157e308"));
        assertEquals("9007199254740992", stored("9007199254740993"));
        assertEquals("9.9999999999999694e-311", stored("1e-310"));
        assertEquals("9.9998886718268301e-321", stored("1e-320"));
        assertEquals("inf", Scores.format(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Scores.format(Double.NEGATIVE_INFINITY));
        assertEquals("-0", Scores.format(-0.0));
        assertEquals("-2.5", Scores.format(-2.5));
    }

    @Test
    void parsesLikeStrtod() {
        assertEquals("0.25", stored("0x1p-2"));
        assertEquals("3", stored("0x1.8p1"));
        assertEquals("16", stored("0X10"));
        assertEquals("1.7976931348623157e+308", stored("0x1.fffffffffffffp1023"));
        assertEquals("4.9406564584124654e-324", stored("0x1p-1074"));
        assertEquals("inf", stored("infinity"));
        assertEquals("inf", stored("INF"));
        assertEquals("-inf", stored("-Infinity"));
        assertEquals("5", stored("+.5e+1"));
        assertEquals("0.5", stored(".5"));
        assertEquals("5", stored("5."));
    }

    @Test
    void refusesWhatRedisRefuses() {
        for (String bad : new String[] {"0x", "1e", "1e400", "1e-400", "nan", " 1", "1 ", "", "-", "abc", "infinit",
            "1\u00002"}) {
            assertEquals("ERR", stored(bad), bad);
        }
    }

    @Test
    void rangeBoundsFollowZslParseRange() {
        assertEquals(0.0, bound(""));
        assertEquals(1.0, bound(" 1"));
        assertEquals(Double.POSITIVE_INFINITY, bound("1e400"));
        assertEquals(0.0, bound("1e-400"));
        assertEquals(16.0, bound("0x10"));
        assertEquals(1.0, bound("1\u0000x")); // strtod stops at the NUL, and so does the check
        assertTrue(Scores.parseBound("nan".getBytes(StandardCharsets.ISO_8859_1), 0).isEmpty());
        assertTrue(Scores.parseBound("1 ".getBytes(StandardCharsets.ISO_8859_1), 0).isEmpty());
    }

    private static double bound(String s) {
        return Scores.parseBound(s.getBytes(StandardCharsets.ISO_8859_1), 0).orElseThrow();
    }
}
