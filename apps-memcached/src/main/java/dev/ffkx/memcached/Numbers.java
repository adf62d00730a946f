package dev.ffkx.memcached;

import java.math.BigInteger;

/**
 * memcached's safe_strtoull/safe_strtol as glibc makes them behave: leading white space and a
 * sign are accepted, the number must end the word, and results are truncated to the width the
 * caller stores. Exactness matters: clients see these rules in which commands are refused.
 */
final class Numbers {
    private static final BigInteger U64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger S64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger S64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    private Numbers() {}

    /** strtoull's view of a word, or null when memcached refuses it. */
    static BigInteger unsigned64(String word) {
        String s = word.stripLeading();
        boolean negative = false;
        if (s.startsWith("+") || s.startsWith("-")) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        BigInteger v = new BigInteger(s);
        if (v.compareTo(U64) >= 0) {
            return null;
        }
        if (negative) {
            v = U64.subtract(v).mod(U64);
            // strtoull negates; memcached refuses a minus sign only when the result reads as negative
            if (v.testBit(63)) {
                return null;
            }
        }
        return v;
    }

    /** strtol's view of a word (signed 64-bit, saturating is refused), or null. */
    static Long signed64(String word) {
        String s = word.stripLeading();
        boolean negative = s.startsWith("-");
        if (s.startsWith("+") || negative) {
            s = s.substring(1);
        }
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        BigInteger v = new BigInteger(s);
        if (negative) {
            v = v.negate();
        }
        if (v.compareTo(S64_MAX) > 0 || v.compareTo(S64_MIN) < 0) {
            return null;
        }
        return v.longValue();
    }

    /** flags: unsigned 64-bit, then truncated to 32 bits. */
    static Long flags(String word) {
        BigInteger v = unsigned64(word);
        return v == null ? null : v.longValue() & 0xffffffffL;
    }

    /** exptime and data lengths: signed 64-bit, then truncated to a signed 32-bit int. */
    static Integer int32(String word) {
        Long v = signed64(word);
        return v == null ? null : (int) (long) v;
    }

    /** The unsigned decimal of a 64-bit value. */
    static String unsignedString(long v) {
        return Long.toUnsignedString(v);
    }
}
