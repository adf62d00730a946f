package dev.ffkx.redis.zset;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import dev.ffkx.redis.KernelCall;

/**
 * The sorted-set commands user space answers: those the fast path returned RD_SLOW for (scores it
 * cannot parse or print), and those it never takes (ZRANGE with BYSCORE, REV or LIMIT, ZREVRANGE,
 * ZRANGEBYSCORE, ZREVRANGEBYSCORE, long ranges). It checks every argument first, in Redis 7.0's
 * order and with its errors, then runs the kernel executor in syscall mode through a
 * {@link KernelCall}: scores go in as '#' and their bits, come back as ',' lines, and are printed
 * here as Redis prints them. Score ranges become ZCOUNTs and index ranges; long index ranges come
 * back in chunks. Errors the kernel call itself answers (WRONGTYPE) pass through unchanged.
 */
public final class ZsetSlowPath {
    private static final byte[] SYNTAX = error("syntax error");
    private static final byte[] NOT_INTEGER = error("value is not an integer or out of range");
    private static final byte[] NOT_FLOAT = error("value is not a valid float");
    private static final byte[] RANGE_NOT_FLOAT = error("min or max is not a float");
    private static final byte[] EMPTY = ascii("*0\r\n");
    private static final byte[] MINUS_INF = Scores.toKernel(Double.NEGATIVE_INFINITY);
    /** What one kernel call takes (rd_cmd.h: RD_MAX_ARGS tokens of a 2048-byte buffer). */
    private static final int MAX_ARGS = 64, MAX_BYTES = 2048;
    /** Room counted per argument for the framing the keyspace puts around it ("$len\r\n...\r\n"). */
    private static final int ARG_OVERHEAD = 16;

    /** Answers one Z* command; argv[0] is its name, in any case, and the caller checked its arity. */
    public byte[] execute(List<byte[]> argv, KernelCall kernel) {
        String name = new String(argv.get(0), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        try {
            return run(name, argv, kernel);
        } catch (KernelError e) {
            return e.reply;
        }
    }

    /** An error reply of the kernel call (WRONGTYPE) in the middle of a multi-call command. */
    private static final class KernelError extends RuntimeException {
        private final byte[] reply;

        KernelError(byte[] reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    private static byte[] run(String name, List<byte[]> argv, KernelCall kernel) {
        return switch (name) {
            case "zadd" -> zadd(argv, kernel, false);
            case "zincrby" -> zadd(argv, kernel, true);
            case "zscore", "zcard", "zrank" -> fromKernel(kernel.call(argv));
            case "zrem" -> fits(argv) ? fromKernel(kernel.call(argv)) : sum(kernel, argv.subList(0, 2),
                    argv.subList(2, argv.size()), 1);
            case "zcount" -> zcount(argv, kernel);
            case "zrange" -> zrange(argv, kernel, Range.AUTO, false, false);
            case "zrevrange" -> zrange(argv, kernel, Range.RANK, true, true);
            case "zrangebyscore" -> zrange(argv, kernel, Range.SCORE, false, true);
            case "zrevrangebyscore" -> zrange(argv, kernel, Range.SCORE, true, true);
            default -> throw new IllegalArgumentException("not a sorted-set command: " + name);
        };
    }

    private static byte[] zadd(List<byte[]> argv, KernelCall kernel, boolean zincrby) {
        int first = zincrby ? 2 : flagEnd(argv);
        boolean nx = false, xx = false, gt = false, lt = false, incr = zincrby;
        for (int i = 2; i < first; i++) {
            switch (new String(argv.get(i), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)) {
                case "nx" -> nx = true;
                case "xx" -> xx = true;
                case "gt" -> gt = true;
                case "lt" -> lt = true;
                case "incr" -> incr = true;
                default -> { } // ch: the kernel reads it
            }
        }
        int elements = argv.size() - first;
        if (elements == 0 || elements % 2 != 0) {
            return SYNTAX;
        }
        if (nx && xx) {
            return error("XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            return error("GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 2) {
            return error("INCR option supports a single increment-element pair");
        }
        List<byte[]> args = new ArrayList<>(argv);
        for (int i = first; i < argv.size(); i += 2) {
            OptionalDouble score = Scores.parse(argv.get(i));
            if (score.isEmpty()) {
                return NOT_FLOAT;
            }
            args.set(i, Scores.toKernel(score.getAsDouble()));
        }
        if (fits(args)) {
            return fromKernel(kernel.call(args));
        }
        // Too large for one kernel call: pairs in batches (not INCR, which has one), counts added up.
        return sum(kernel, args.subList(0, first), args.subList(first, args.size()), 2);
    }

    /** Whether a command fits one kernel call: rd_cmd.h's argument count and its 2048-byte buffer. */
    private static boolean fits(List<byte[]> argv) {
        return argv.size() <= MAX_ARGS && bytes(argv) <= MAX_BYTES;
    }

    private static long bytes(List<byte[]> argv) {
        long n = 0;
        for (byte[] a : argv) {
            n += a.length + ARG_OVERHEAD;
        }
        return n;
    }

    /**
     * Runs head + items in as many kernel calls as it takes, items in groups of `per`, and replies
     * the sum of their integer replies: ZADD without INCR, and ZREM.
     */
    private static byte[] sum(KernelCall kernel, List<byte[]> head, List<byte[]> items, int per) {
        long total = 0;
        int at = 0;
        while (at < items.size()) {
            List<byte[]> call = new ArrayList<>(head);
            while (at < items.size()) {
                List<byte[]> next = items.subList(at, at + per);
                call.addAll(next);
                if (!fits(call) && call.size() > head.size() + per) {
                    call.subList(call.size() - per, call.size()).clear();
                    break;
                }
                at += per;
            }
            total += integer(kernel.call(call));
        }
        return ascii(":" + total + "\r\n");
    }

    /** Where ZADD's flags end: the first argument that is not one. */
    private static int flagEnd(List<byte[]> argv) {
        int i = 2;
        while (i < argv.size() && List.of("nx", "xx", "gt", "lt", "ch", "incr").contains(
                new String(argv.get(i), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT))) {
            i++;
        }
        return i;
    }

    private static byte[] zcount(List<byte[]> argv, KernelCall kernel) {
        byte[] min = bound(argv.get(2)), max = bound(argv.get(3));
        if (min == null || max == null) {
            return RANGE_NOT_FLOAT;
        }
        return fromKernel(kernel.call(List.of(ascii("ZCOUNT"), argv.get(1), min, max)));
    }

    /** A range bound in the kernel's form ('(' kept), or null when Redis refuses it. */
    private static byte[] bound(byte[] b) {
        boolean excl = b.length > 0 && b[0] == '(';
        OptionalDouble v = Scores.parseBound(b, excl ? 1 : 0);
        if (v.isEmpty()) {
            return null;
        }
        byte[] bits = Scores.toKernel(v.getAsDouble());
        if (!excl) {
            return bits;
        }
        byte[] out = new byte[bits.length + 1];
        out[0] = '(';
        System.arraycopy(bits, 0, out, 1, bits.length);
        return out;
    }

    private enum Range { AUTO, RANK, SCORE, LEX }

    /** zrangeGenericCommand of Redis 7.0, for ZRANGE and the commands it stands for. */
    private static byte[] zrange(List<byte[]> argv, KernelCall kernel, Range range, boolean rev, boolean fixed) {
        boolean withScores = false, directionSet = fixed, typeSet = fixed && range != Range.AUTO;
        long offset = 0, limit = -1;
        for (int j = 4; j < argv.size(); j++) {
            int left = argv.size() - j - 1;
            String a = new String(argv.get(j), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            if (a.equals("withscores")) {
                withScores = true;
            } else if (a.equals("limit") && left >= 2) {
                Long o = parseLong(argv.get(j + 1)), l = parseLong(argv.get(j + 2));
                if (o == null || l == null) {
                    return NOT_INTEGER;
                }
                offset = o;
                limit = l;
                j += 2;
            } else if (!directionSet && a.equals("rev")) {
                rev = true;
                directionSet = true;
            } else if (!typeSet && a.equals("bylex")) {
                range = Range.LEX;
                typeSet = true;
            } else if (!typeSet && a.equals("byscore")) {
                range = Range.SCORE;
                typeSet = true;
            } else {
                return SYNTAX;
            }
        }
        if (range == Range.AUTO) {
            range = Range.RANK;
        }
        if (limit != -1 && range == Range.RANK) {
            return error("syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && range == Range.LEX) {
            return error("syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] key = argv.get(1);
        byte[] lo = argv.get(rev && range != Range.RANK ? 3 : 2), hi = argv.get(rev && range != Range.RANK ? 2 : 3);
        if (range == Range.RANK) {
            Long start = parseLong(lo), end = parseLong(hi);
            if (start == null || end == null) {
                return NOT_INTEGER;
            }
            long len = integer(kernel.call(List.of(ascii("ZCARD"), key)));
            long s = start, e = end;
            if (s < 0) {
                s += len;
            }
            if (e < 0) {
                e += len;
            }
            if (s < 0) {
                s = 0;
            }
            if (s > e || s >= len) {
                return EMPTY;
            }
            if (e >= len) {
                e = len - 1;
            }
            // reverse index i is forward rank len - 1 - i
            return rev ? reply(fetch(kernel, key, len - 1 - e, len - 1 - s, withScores), true, withScores)
                    : reply(fetch(kernel, key, s, e, withScores), false, withScores);
        }
        if (range == Range.LEX) {
            LexRange lex = LexRange.parse(lo, hi);
            return lex == null ? error("min or max not valid string range item")
                    : zrangeByLex(kernel, key, lex, rev, offset, limit);
        }
        byte[] min = bound(lo), max = bound(hi);
        if (min == null || max == null) {
            return RANGE_NOT_FLOAT;
        }
        // ranks [first, end) hold the scores in range: members below min, and not above max
        long first = below(kernel, key, min, true), end = below(kernel, key, max, false);
        long n = end - first;
        if (offset < 0 || n <= 0 || offset >= n || limit == 0) { // n - offset could overflow
            return EMPTY;
        }
        n -= offset;
        if (limit > 0) {
            n = Math.min(n, limit);
        }
        return rev ? reply(fetch(kernel, key, end - offset - n, end - offset - 1, withScores), true, withScores)
                : reply(fetch(kernel, key, first + offset, first + offset + n - 1, withScores), false, withScores);
    }

    /**
     * ZRANGE BYLEX as Redis walks a listpack: from the first member not below min (the last not
     * above max, reversed), while members stay in range. The kernel orders by score first, so this
     * is Redis' answer whenever Redis' own is defined: all scores equal, as BYLEX asks, or a set
     * small enough to be a listpack. The whole set is read, in chunks: O(n), not O(log n).
     */
    private static byte[] zrangeByLex(KernelCall kernel, byte[] key, LexRange lex, boolean rev, long offset,
                                      long limit) {
        long len = integer(kernel.call(List.of(ascii("ZCARD"), key)));
        if (len == 0 || lex.empty()) {
            return EMPTY;
        }
        List<byte[]> units = fetch(kernel, key, 0, len - 1, false);
        if (rev) {
            Collections.reverse(units);
        }
        int i = 0;
        while (i < units.size() && !(rev ? lex.belowMax(member(units.get(i))) : lex.aboveMin(member(units.get(i))))) {
            i++;
        }
        if (i == units.size() || !(rev ? lex.aboveMin(member(units.get(i))) : lex.belowMax(member(units.get(i))))) {
            return EMPTY;
        }
        if (offset < 0) {
            return EMPTY; // Redis skips while offset-- is nonzero: past the end
        }
        i += (int) Math.min(offset, units.size());
        List<byte[]> out = new ArrayList<>();
        for (; i < units.size() && limit != 0; i++, limit--) {
            byte[] m = member(units.get(i));
            if (!(rev ? lex.aboveMin(m) : lex.belowMax(m))) {
                break;
            }
            out.add(units.get(i));
        }
        return reply(out, false, false);
    }

    /** The member of a "$len\r\nmember\r\n" unit. */
    private static byte[] member(byte[] unit) {
        int eol = eol(unit, 0);
        return java.util.Arrays.copyOfRange(unit, eol + 2, unit.length - 2);
    }

    /**
     * How many members lie before a bound: for a minimum, those below it (not above it, if the
     * bound is exclusive); for a maximum, those not above it (below it, if exclusive).
     */
    private static long below(KernelCall kernel, byte[] key, byte[] bound, boolean isMin) {
        boolean excl = bound[0] == '(';
        byte[] bits = excl ? java.util.Arrays.copyOfRange(bound, 1, bound.length) : bound;
        boolean orEqual = isMin == excl;
        byte[] max = orEqual ? bits : concat(new byte[] {'('}, bits);
        return integer(kernel.call(List.of(ascii("ZCOUNT"), key, MINUS_INF, max)));
    }

    /** Members (with their scores) at forward ranks first..last, converted, one unit per member. */
    private static List<byte[]> fetch(KernelCall kernel, byte[] key, long first, long last, boolean withScores) {
        List<byte[]> units = new ArrayList<>();
        long at = first;
        while (at <= last) {
            List<byte[]> args = new ArrayList<>(List.of(ascii("ZRANGE"), key, ascii(Long.toString(at)),
                    ascii(Long.toString(last))));
            if (withScores) {
                args.add(ascii("WITHSCORES"));
            }
            byte[] chunk = kernel.call(args);
            List<byte[]> items = items(chunk);
            int per = withScores ? 2 : 1;
            if (items.isEmpty() || items.size() % per != 0) {
                break; // the set shrank under us: reply what there is
            }
            for (int i = 0; i < items.size(); i += per) {
                units.add(per == 1 ? items.get(i) : concat(items.get(i), items.get(i + 1)));
            }
            at += items.size() / per;
        }
        return units;
    }

    private static byte[] reply(List<byte[]> units, boolean reverse, boolean withScores) {
        if (reverse) {
            Collections.reverse(units);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("*" + (long) units.size() * (withScores ? 2 : 1) + "\r\n"));
        units.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** An integer reply's value; an error reply ends the command with it. */
    private static long integer(byte[] reply) {
        if (reply.length > 0 && reply[0] == ':') {
            return Long.parseLong(new String(reply, 1, reply.length - 3, StandardCharsets.US_ASCII));
        }
        if (reply.length > 0 && reply[0] == '-') {
            throw new KernelError(reply);
        }
        throw new IllegalStateException("not an integer reply: " + new String(reply, StandardCharsets.ISO_8859_1));
    }

    /** string2ll of Redis, as getLongFromObjectOrReply uses it. */
    static Long parseLong(byte[] s) {
        if (s.length == 0 || s.length >= 21) {
            return null;
        }
        if (s.length == 1 && s[0] == '0') {
            return 0L;
        }
        int i = s[0] == '-' ? 1 : 0;
        if (i >= s.length || s[i] < '1' || s[i] > '9') {
            return null;
        }
        for (int k = i; k < s.length; k++) {
            if (s[k] < '0' || s[k] > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(new String(s, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A kernel reply with every ',' score line printed as the bulk string Redis replies. */
    static byte[] fromKernel(byte[] reply) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(reply.length + 16);
        items(reply, out, null);
        return out.toByteArray();
    }

    private static List<byte[]> items(byte[] reply) {
        List<byte[]> items = new ArrayList<>();
        items(reply, null, items);
        return items;
    }

    /** Walks RESP2 items and ',' lines; converted items go to out or, one each, to items. */
    private static void items(byte[] r, ByteArrayOutputStream out, List<byte[]> items) {
        int i = 0;
        while (i < r.length) {
            int eol = eol(r, i);
            byte[] item;
            if (r[i] == ',') {
                double d = Double.longBitsToDouble(Long.parseUnsignedLong(
                        new String(r, i + 1, eol - i - 1, StandardCharsets.US_ASCII), 16));
                item = bulk(Scores.format(d));
                i = eol + 2;
            } else if (r[i] == '$' && r[i + 1] != '-') {
                int len = Integer.parseInt(new String(r, i + 1, eol - i - 1, StandardCharsets.US_ASCII));
                int end = eol + 2 + len + 2;
                item = java.util.Arrays.copyOfRange(r, i, end);
                i = end;
            } else {
                item = java.util.Arrays.copyOfRange(r, i, eol + 2);
                i = eol + 2;
            }
            if (out != null) {
                out.writeBytes(item);
            } else {
                items.add(item);
            }
        }
    }

    private static int eol(byte[] r, int from) {
        for (int i = from; i + 1 < r.length; i++) {
            if (r[i] == '\r' && r[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("truncated kernel reply: " + new String(r, StandardCharsets.ISO_8859_1));
    }

    private static byte[] bulk(String s) {
        return ascii("$" + s.length() + "\r\n" + s + "\r\n");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] error(String message) {
        return ascii("-ERR " + message + "\r\n");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
