package dev.ffkx.memcached.diff;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * memcached 1.6's text-protocol request parser, reduced to what shapes the reply stream: where a
 * command line ends, how many data bytes follow it, whether it is answered at all, and whether
 * the server hangs up after it.
 *
 * <p>Replies carry no request id over TCP, so the only way to tell which bytes answer which
 * command is to parse the requests exactly as memcached does. The hard cases are malformed ones:
 * a {@code set} whose line is rejected leaves its data block to be read as a command line, a
 * wrong-length data block is still consumed as {@code length + 2} bytes, and {@code noreply}
 * silences errors too, but only once the command got far enough to notice it. Every rule here
 * was checked against memcached 1.6.18, and every differential run checks it again: the
 * reference server's reply count must match this model's.
 *
 * <p>One instance follows one connection (or one datagram): it keeps a partial line and the
 * unread part of a data block between calls to {@link #feed}.
 */
final class RequestModel {
    /** memcached's KEY_MAX_LENGTH. */
    static final int KEY_MAX = 250;
    /** More than this many bytes of a line without its newline make memcached close the connection. */
    static final int LINE_MAX = 2048;
    private static final int MAX_TOKENS = 24;
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger I64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger I64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final byte[] NOREPLY = ascii("noreply");
    /** Commands whose replies this model does not describe: meta commands and admin commands. */
    private static final Set<String> UNMODELLED = Set.of("shutdown", "slabs", "cache_memlimit", "lru",
            "lru_crawler", "watch", "extstore", "misbehave", "debugtime", "refresh_certs");

    /**
     * One command line as the server reads it.
     *
     * @param name the command word ("" for an empty line), which decides comparison exemptions
     * @param line the line without its terminator, as the server saw it (cut at a NUL)
     * @param replies how many replies it produces: 0 (noreply, quit) or 1
     * @param closes whether the server closes the connection after answering it
     */
    record Expected(String name, byte[] line, int replies, boolean closes) {}

    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private long dataLeft;
    private boolean closed;

    /**
     * Reads request bytes and returns the command lines they complete, in order. Bytes after a
     * closing command are ignored, as the server never reads them.
     *
     * @throws IllegalArgumentException for input whose reply memcached does not determine: a line
     *     over {@link #LINE_MAX} bytes that is not a get (memcached may or may not hang up,
     *     depending on how the bytes were split into reads), or a command this model leaves out
     */
    List<Expected> feed(byte[] bytes) {
        List<Expected> out = new ArrayList<>();
        int i = 0;
        while (i < bytes.length && !closed) {
            if (dataLeft > 0) {
                int take = (int) Math.min(dataLeft, bytes.length - i);
                dataLeft -= take;
                i += take;
                continue;
            }
            int nl = indexOf(bytes, (byte) '\n', i, bytes.length);
            int end = nl < 0 ? bytes.length : nl;
            partial.write(bytes, i, end - i);
            if (partial.size() > LINE_MAX && !mayBeLong(partial.toByteArray())) {
                throw new IllegalArgumentException("a " + partial.size() + "-byte line that is not a get: "
                        + "memcached closes the connection or not depending on how reads split it");
            }
            if (nl < 0) {
                break;
            }
            byte[] raw = partial.toByteArray();
            partial.reset();
            i = nl + 1;
            Expected e = line(raw);
            closed = e.closes();
            out.add(e);
        }
        return out;
    }

    /** True while the server is inside a data block (or swallowing one) and reads no commands. */
    boolean inData() {
        return dataLeft > 0;
    }

    /** True when the server is waiting for a new command line, with nothing half-read. */
    boolean atCommand() {
        return dataLeft == 0 && partial.size() == 0 && !closed;
    }

    private Expected line(byte[] raw) {
        int len = raw.length;
        // memcached strips a \r before the \n only when the line has something before it.
        if (len > 1 && raw[len - 1] == '\r') {
            len--;
        }
        int nul = indexOf(raw, (byte) 0, 0, len);
        byte[] line = Arrays.copyOf(raw, nul < 0 ? len : nul);
        List<byte[]> words = tokenize(line);
        int ntokens = words.size() + 1; // memcached counts its terminal token too
        String name = words.isEmpty() ? "" : new String(words.get(0), StandardCharsets.ISO_8859_1);
        if (ntokens < 2 || name.length() < 2) {
            return answered(name, line);
        }
        if (name.charAt(0) == 'm' && name.length() == 2 || UNMODELLED.contains(name)) {
            throw new IllegalArgumentException("command not modelled: " + name);
        }
        return switch (name) {
            case "set", "add", "replace", "append", "prepend" ->
                    ntokens == 6 || ntokens == 7 ? storage(name, line, words, false) : answered(name, line);
            case "cas" -> ntokens == 7 || ntokens == 8 ? storage(name, line, words, true) : answered(name, line);
            case "incr", "decr", "touch" ->
                    ntokens == 4 || ntokens == 5 ? maybeSilent(name, line, words) : answered(name, line);
            case "verbosity" -> ntokens == 3 || ntokens == 4 ? maybeSilent(name, line, words) : answered(name, line);
            case "flush_all" -> ntokens <= 4 ? maybeSilent(name, line, words) : answered(name, line);
            // "delete k" never looks for noreply: a key named noreply is just a key.
            case "delete" -> ntokens == 4 || ntokens == 5 ? maybeSilent(name, line, words) : answered(name, line);
            case "quit" -> new Expected(name, line, 0, true);
            default -> answered(name, line); // get family, stats, version, and ERROR for anything else
        };
    }

    private Expected storage(String name, byte[] line, List<byte[]> words, boolean cas) {
        Expected e = maybeSilent(name, line, words);
        if (words.get(1).length > KEY_MAX) {
            return e;
        }
        Long flags = safeStrtoul(words.get(2));
        Long exptime = safeStrtol(words.get(3));
        Long length = safeStrtol(words.get(4));
        if (flags == null || exptime == null || length == null || cas && safeStrtoull(words.get(5)) == null) {
            return e;
        }
        if (length < 0 || length > Integer.MAX_VALUE - 2) {
            return e;
        }
        // Read into the item or, when the item cannot be had (too large), swallowed: the same bytes.
        dataLeft = length + 2;
        return e;
    }

    private static Expected maybeSilent(String name, byte[] line, List<byte[]> words) {
        boolean noreply = Arrays.equals(words.get(words.size() - 1), NOREPLY);
        return new Expected(name, line, noreply ? 0 : 1, false);
    }

    private static Expected answered(String name, byte[] line) {
        return new Expected(name, line, 1, false);
    }

    /** Long lines are tolerated only for multi-gets, after at most 100 leading spaces. */
    private static boolean mayBeLong(byte[] line) {
        int i = 0;
        while (i < line.length && line[i] == ' ') {
            i++;
        }
        return i <= 100 && (startsWith(line, i, "get ") || startsWith(line, i, "gets "));
    }

    /**
     * memcached's tokenize_command: words split on spaces only (a tab is part of a word), at most
     * 23 words; what follows the 23rd is left unsplit, which pushes the count to the 24 that every
     * command but get rejects.
     */
    static List<byte[]> tokenize(byte[] s) {
        List<byte[]> words = new ArrayList<>();
        int start = 0;
        int i = 0;
        for (; i < s.length; i++) {
            if (s[i] == ' ') {
                if (start != i) {
                    words.add(Arrays.copyOfRange(s, start, i));
                    if (words.size() == MAX_TOKENS - 1) {
                        return words;
                    }
                }
                start = i + 1;
            }
        }
        if (start != i) {
            words.add(Arrays.copyOfRange(s, start, i));
        }
        return words;
    }

    /** memcached's safe_strtoul: strtoul (64-bit) stored into 32 bits, so 4294967296 reads as 0. */
    static Long safeStrtoul(byte[] s) {
        BigInteger v = unsignedC(s);
        return v == null ? null : v.longValue() & 0xffffffffL;
    }

    /** memcached's safe_strtoull. */
    static Long safeStrtoull(byte[] s) {
        BigInteger v = unsignedC(s);
        return v == null ? null : v.longValue();
    }

    /** memcached's safe_strtol: strtol (64-bit) stored into 32 bits, so 2147483648 reads as -2147483648. */
    static Long safeStrtol(byte[] s) {
        Number n = Number.parse(s);
        if (n == null || !n.wellEnded(s)) {
            return null;
        }
        BigInteger v = n.signed();
        if (v.compareTo(I64_MAX) > 0 || v.compareTo(I64_MIN) < 0) {
            return null; // ERANGE
        }
        return (long) v.intValue();
    }

    /**
     * strtoul/strtoull as glibc does them (a minus sign negates modulo 2^64) plus memcached's
     * check, which refuses a minus sign only when the result looks negative as a signed number:
     * "-1" fails but "-0" is 0 and "-18446744073709551615" is 1.
     */
    private static BigInteger unsignedC(byte[] s) {
        Number n = Number.parse(s);
        if (n == null || !n.wellEnded(s) || n.magnitude().compareTo(U64_MAX) > 0) {
            return null;
        }
        BigInteger v = n.negative() ? n.magnitude().negate().and(U64_MAX) : n.magnitude();
        if (v.testBit(63) && n.negative()) {
            return null;
        }
        return v;
    }

    /** A decimal number as C's strto* functions scan one: leading white space, a sign, digits. */
    private record Number(boolean negative, BigInteger magnitude, int end) {
        static Number parse(byte[] s) {
            int i = 0;
            while (i < s.length && isSpace(s[i])) {
                i++;
            }
            boolean negative = false;
            if (i < s.length && (s[i] == '+' || s[i] == '-')) {
                negative = s[i] == '-';
                i++;
            }
            int digits = i;
            while (i < s.length && s[i] >= '0' && s[i] <= '9') {
                i++;
            }
            if (i == digits) {
                return null;
            }
            return new Number(negative, new BigInteger(new String(s, digits, i - digits, StandardCharsets.US_ASCII)), i);
        }

        BigInteger signed() {
            return negative ? magnitude.negate() : magnitude;
        }

        /** memcached accepts a number only if white space or the end of the word follows it. */
        boolean wellEnded(byte[] s) {
            return end == s.length || isSpace(s[end]);
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }

    private static boolean startsWith(byte[] s, int at, String prefix) {
        if (s.length - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (s[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] s, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
