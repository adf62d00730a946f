package dev.ffkx.redis.zset;

import java.util.Arrays;

/**
 * A BYLEX interval as Redis 7.0 parses it (zslParseLexRange): "-" and "+" for the ends of the
 * order, "[" inclusive, "(" exclusive; members compare as unsigned bytes, a prefix first.
 */
record LexRange(byte[] min, boolean minEx, byte[] max, boolean maxEx) {
    /** The lowest and highest of all strings, as Redis' shared.minstring and shared.maxstring. */
    private static final byte[] LOWEST = new byte[0], HIGHEST = new byte[0];

    /** The range, or null when an item is not one (Redis: "min or max not valid string range item"). */
    static LexRange parse(byte[] min, byte[] max) {
        Item lo = item(min), hi = item(max);
        return lo == null || hi == null ? null : new LexRange(lo.value, lo.ex, hi.value, hi.ex);
    }

    private record Item(byte[] value, boolean ex) {}

    private static Item item(byte[] s) {
        if (s.length == 0) {
            return null;
        }
        return switch (s[0]) {
            case '+' -> s.length == 1 ? new Item(HIGHEST, false) : null;
            case '-' -> s.length == 1 ? new Item(LOWEST, false) : null;
            case '(' -> new Item(Arrays.copyOfRange(s, 1, s.length), true);
            case '[' -> new Item(Arrays.copyOfRange(s, 1, s.length), false);
            default -> null;
        };
    }

    /** sdscmplex: the two sentinels by identity, anything else bytewise. */
    private static int compare(byte[] a, byte[] b) {
        if (a == b) {
            return 0;
        }
        if (a == LOWEST || b == HIGHEST) {
            return -1;
        }
        if (a == HIGHEST || b == LOWEST) {
            return 1;
        }
        return Arrays.compareUnsigned(a, b);
    }

    /** Whether no string can lie in it. */
    boolean empty() {
        int c = compare(min, max);
        return c > 0 || (c == 0 && (minEx || maxEx));
    }

    boolean aboveMin(byte[] member) {
        int c = compare(member, min);
        return minEx ? c > 0 : c >= 0;
    }

    boolean belowMax(byte[] member) {
        int c = compare(member, max);
        return maxEx ? c < 0 : c <= 0;
    }
}
