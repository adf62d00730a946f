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

    /**
     * The number strtoull reads at the start of a word, if the character after it is white space
     * or the word's end, as memcached requires; what follows that white space is ignored.
     */
    private static String numberPart(String word) {
        String s = word.substring(skipCSpace(word, 0));
        int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i < s.length() && !isCSpace(s.charAt(i))) {
            return "";
        }
        return s.substring(0, i);
    }

    /** C's isspace: Java's Character.isWhitespace also takes \x1c-\x1f, which C does not. */
    static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    /** Index of the first character at or after from that is not C white space. */
    static int skipCSpace(String s, int from) {
        int i = from;
        while (i < s.length() && isCSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** strtoull's view of a word, or null when memcached refuses it. */
    static BigInteger unsigned64(String word) {
        String s = numberPart(word);
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
        String s = numberPart(word);
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
