package dev.ffkx.redis.zset;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.OptionalDouble;

/**
 * Scores as Redis 7.0 reads and writes them. Reading is glibc's strtod (decimal and hexadecimal
 * forms, inf and infinity, correctly rounded) under the two sets of rules Redis applies: a score
 * argument ({@link #parse}, getDoubleFromObject) and a range bound ({@link #parseBound},
 * zslParseRange). Writing is printf's "%.17g" ({@link #format}), as addReplyDouble prints.
 */
public final class Scores {
    private static final MathContext G17 = new MathContext(17, RoundingMode.HALF_EVEN);

    private Scores() {}

    /**
     * A score argument: strtod must take all of it, and Redis refuses an empty string, a leading
     * space, NaN, and a value strtod reports out of range (an overflow to infinity, or a non-zero
     * number that underflows to zero).
     */
    public static OptionalDouble parse(byte[] s) {
        if (s.length == 0 || isSpace(s[0])) {
            return OptionalDouble.empty();
        }
        Strtod r = strtod(s, 0, s.length);
        if (r == null || r.end != s.length || Double.isNaN(r.value) || r.outOfRange) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(r.value);
    }

    /** A range bound without its '(': strtod up to the first NUL byte must take all of it; not NaN. */
    public static OptionalDouble parseBound(byte[] s, int from) {
        int end = from;
        while (end < s.length && s[end] != 0) {
            end++;
        }
        if (end == from) {
            return OptionalDouble.of(0); // strtod("") converts nothing and leaves *eptr == '\0'
        }
        Strtod r = strtod(s, from, end);
        if (r == null || r.end != end || Double.isNaN(r.value)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(r.value);
    }

    /** printf("%.17g", d), with inf and -inf as Redis replies them. */
    public static String format(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal r = new BigDecimal(d).round(G17);
        String digits = r.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - r.scale();
        digits = stripZeros(digits);
        StringBuilder b = new StringBuilder(d < 0 ? "-" : "");
        if (exp < -4 || exp >= 17) {
            b.append(digits.charAt(0));
            if (digits.length() > 1) {
                b.append('.').append(digits, 1, digits.length());
            }
            b.append('e').append(exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            if (e < 10) {
                b.append('0');
            }
            return b.append(e).toString();
        }
        if (exp < 0) {
            b.append("0.");
            b.append("0".repeat(-exp - 1));
            return b.append(digits).toString();
        }
        if (digits.length() <= exp + 1) {
            return b.append(digits).append("0".repeat(exp + 1 - digits.length())).toString();
        }
        return b.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length()).toString();
    }

    /** The wire form of a score for the kernel in syscall mode: '#' and its bits in hex. */
    public static byte[] toKernel(double d) {
        return String.format("#%016x", Double.doubleToRawLongBits(d)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static String stripZeros(String digits) {
        int n = digits.length();
        while (n > 1 && digits.charAt(n - 1) == '0') {
            n--;
        }
        return digits.substring(0, n);
    }

    static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** What strtod made of s[from, to): the value, where it stopped, and whether it set ERANGE. */
    private record Strtod(double value, int end, boolean outOfRange) {}

    /** null when strtod converts nothing. */
    private static Strtod strtod(byte[] s, int from, int to) {
        int i = from;
        while (i < to && isSpace(s[i])) {
            i++;
        }
        boolean neg = false;
        if (i < to && (s[i] == '+' || s[i] == '-')) {
            neg = s[i] == '-';
            i++;
        }
        if (matchWord(s, i, to, "infinity")) {
            return new Strtod(neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 8, false);
        }
        if (matchWord(s, i, to, "inf")) {
            return new Strtod(neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 3, false);
        }
        if (matchWord(s, i, to, "nan")) {
            int end = i + 3;
            if (end < to && s[end] == '(') { // nan(n-char-sequence)
                int j = end + 1;
                while (j < to && (Character.isLetterOrDigit(s[j]) || s[j] == '_')) {
                    j++;
                }
                if (j < to && s[j] == ')') {
                    end = j + 1;
                }
            }
            return new Strtod(Double.NaN, end, false);
        }
        if (i + 1 < to && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            Strtod hex = hex(s, i + 2, to, neg);
            if (hex != null) {
                return hex;
            }
            return new Strtod(neg ? -0.0 : 0.0, i + 1, false); // just the "0"
        }
        return decimal(s, i, to, neg);
    }

    private static boolean matchWord(byte[] s, int i, int to, String w) {
        if (to - i < w.length()) {
            return false;
        }
        for (int k = 0; k < w.length(); k++) {
            if (Character.toLowerCase((char) (s[i + k] & 0xff)) != w.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static int hexDigit(byte c) {
        return Character.digit((char) (c & 0xff), 16);
    }

    private static Strtod decimal(byte[] s, int i, int to, boolean neg) {
        int start = i, digits = 0;
        boolean nonZero = false;
        while (i < to && isDigit(s[i])) {
            nonZero |= s[i] != '0';
            i++;
            digits++;
        }
        if (i < to && s[i] == '.') {
            i++;
            while (i < to && isDigit(s[i])) {
                nonZero |= s[i] != '0';
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        int mantEnd = i;
        if (i < to && (s[i] == 'e' || s[i] == 'E')) {
            int j = i + 1;
            if (j < to && (s[j] == '+' || s[j] == '-')) {
                j++;
            }
            if (j < to && isDigit(s[j])) {
                while (j < to && isDigit(s[j])) {
                    j++;
                }
                i = j;
            }
        }
        String text = new String(s, start, mantEnd - start, java.nio.charset.StandardCharsets.US_ASCII);
        BigDecimal v = new BigDecimal(text.startsWith(".") ? "0" + text : text);
        if (i > mantEnd) {
            String e = new String(s, mantEnd + 1, i - mantEnd - 1, java.nio.charset.StandardCharsets.US_ASCII);
            v = scale(v, e, nonZero);
            if (v == null) { // an exponent too large for BigDecimal: overflow or underflow
                boolean negExp = e.startsWith("-");
                double r = negExp ? 0.0 : Double.POSITIVE_INFINITY;
                return new Strtod(neg ? -r : r, i, nonZero);
            }
        }
        double r = v.doubleValue();
        // ERANGE matters to Redis only when the result is infinite or zero
        boolean range = Double.isInfinite(r) || (r == 0 && nonZero);
        return new Strtod(neg ? -r : r, i, range);
    }

    /** v * 10^e, or null when e is out of any useful range for a double. */
    private static BigDecimal scale(BigDecimal v, String e, boolean nonZero) {
        String digits = e.replaceFirst("^[+-]", "").replaceFirst("^0+(?=.)", "");
        if (!nonZero) {
            return v;
        }
        if (digits.length() > 6) {
            return null;
        }
        int n = Integer.parseInt(digits);
        return v.scaleByPowerOfTen(e.startsWith("-") ? -n : n);
    }

    private static Strtod hex(byte[] s, int i, int to, boolean neg) {
        BigDecimal mant = BigDecimal.ZERO;
        int digits = 0, fracDigits = 0;
        boolean nonZero = false;
        while (i < to && hexDigit(s[i]) >= 0) {
            mant = mant.multiply(BigDecimal.valueOf(16)).add(BigDecimal.valueOf(hexDigit(s[i])));
            nonZero |= hexDigit(s[i]) != 0;
            i++;
            digits++;
        }
        if (i < to && s[i] == '.') {
            i++;
            while (i < to && hexDigit(s[i]) >= 0) {
                mant = mant.multiply(BigDecimal.valueOf(16)).add(BigDecimal.valueOf(hexDigit(s[i])));
                nonZero |= hexDigit(s[i]) != 0;
                i++;
                digits++;
                fracDigits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        long exp = -4L * fracDigits;
        if (i < to && (s[i] == 'p' || s[i] == 'P')) {
            int j = i + 1;
            boolean negExp = false;
            if (j < to && (s[j] == '+' || s[j] == '-')) {
                negExp = s[j] == '-';
                j++;
            }
            if (j < to && isDigit(s[j])) {
                long e = 0;
                while (j < to && isDigit(s[j])) {
                    e = Math.min(e * 10 + (s[j] - '0'), 1_000_000);
                    j++;
                }
                exp += negExp ? -e : e;
                i = j;
            }
        }
        double r;
        if (!nonZero) {
            r = 0;
        } else if (exp > 5000) {
            r = Double.POSITIVE_INFINITY;
        } else if (exp < -5000) {
            r = 0;
        } else {
            BigDecimal v = exp >= 0 ? mant.multiply(BigDecimal.valueOf(2).pow((int) exp))
                    : mant.divide(BigDecimal.valueOf(2).pow((int) -exp));
            r = v.doubleValue();
        }
        boolean range = Double.isInfinite(r) || (r == 0 && nonZero);
        return new Strtod(neg ? -r : r, i, range);
    }
}
