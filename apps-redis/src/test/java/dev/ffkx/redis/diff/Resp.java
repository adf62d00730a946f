package dev.ffkx.redis.diff;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RESP as the harness needs it: requests encoded as multibulk, and replies framed and parsed.
 * Replies are RESP2, plus the RESP3 types Redis 7 sends to a connection that said HELLO 3.
 */
final class Resp {
    /** A reply the parser could not read: the server under test sent something that is not RESP. */
    static final class Malformed extends RuntimeException {
        Malformed(String why, int at) {
            super(why + " at byte " + at);
        }
    }

    /** A simple string, error, number or RESP3 scalar, as its type byte and its line. */
    record Line(char type, String text) {}

    /** A bulk string ({@code $}), a RESP3 verbatim string or blob error. */
    record Bulk(char type, byte[] bytes) {}

    /** An aggregate: array, map (pairs flattened), set, push or attribute. */
    record Aggregate(char type, List<Object> items) {}

    /** The null bulk string or array, or RESP3's null. */
    record Nil(char type) {}

    private Resp() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A request as a multibulk of these arguments. */
    static byte[] command(byte[]... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("*" + args.length + "\r\n"));
        for (byte[] a : args) {
            out.writeBytes(ascii("$" + a.length + "\r\n"));
            out.writeBytes(a);
            out.writeBytes(ascii("\r\n"));
        }
        return out.toByteArray();
    }

    static byte[] command(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = ascii(args[i]);
        }
        return command(b);
    }

    /**
     * Where the reply that starts at {@code from} ends, or -1 if {@code buf[from..to)} does not
     * hold all of it yet.
     *
     * @throws Malformed if the bytes are not a reply
     */
    static int end(byte[] buf, int from, int to) {
        int eol = lineEnd(buf, from, to);
        if (eol < 0) {
            return -1;
        }
        char type = (char) buf[from];
        int next = eol + 2;
        switch (type) {
            case '+', '-', ':', ',', '_', '#', '(' -> {
                return next;
            }
            case '$', '=', '!' -> {
                long n = number(buf, from + 1, eol);
                if (n == -1 && type == '$') {
                    return next;
                }
                if (n < 0 || n > Integer.MAX_VALUE - 2) {
                    throw new Malformed("bad bulk length " + n, from);
                }
                if (next + n + 2 > to) {
                    return -1;
                }
                if (buf[next + (int) n] != '\r' || buf[next + (int) n + 1] != '\n') {
                    throw new Malformed("bulk string not followed by CRLF", next + (int) n);
                }
                return next + (int) n + 2;
            }
            case '*', '%', '~', '|', '>' -> {
                long n = number(buf, from + 1, eol);
                if (n == -1 && type == '*') {
                    return next;
                }
                if (n < 0) {
                    throw new Malformed("bad aggregate length " + n, from);
                }
                long items = type == '%' || type == '|' ? 2 * n : n;
                int at = next;
                for (long i = 0; i < items; i++) {
                    at = end(buf, at, to);
                    if (at < 0) {
                        return -1;
                    }
                }
                // An attribute annotates the reply after it, which belongs to it.
                return type == '|' ? end(buf, at, to) : at;
            }
            default -> throw new Malformed("unknown reply type " + (int) type, from);
        }
    }

    /**
     * The arguments of the request that starts at {@code at[0]} (multibulk, or an inline line
     * split at spaces), advancing {@code at[0]} past it; null if the bytes up to {@code to} do
     * not hold all of it.
     */
    static List<byte[]> request(byte[] buf, int[] at, int to) {
        int from = at[0];
        int eol = lineEnd(buf, from, to);
        if (buf[from] != '*') {
            int lf = from;
            while (lf < to && buf[lf] != '\n') {
                lf++;
            }
            if (lf == to) {
                return null;
            }
            at[0] = lf + 1;
            List<byte[]> args = new ArrayList<>();
            for (String a : new String(buf, from, lf - from, StandardCharsets.ISO_8859_1).trim().split(" +")) {
                args.add(ascii(a));
            }
            return args;
        }
        if (eol < 0) {
            return null;
        }
        long n = number(buf, from + 1, eol);
        List<byte[]> args = new ArrayList<>();
        int p = eol + 2;
        for (long i = 0; i < n; i++) {
            int e = lineEnd(buf, p, to);
            if (e < 0) {
                return null;
            }
            long len = number(buf, p + 1, e);
            int data = e + 2;
            if (data + len + 2 > to) {
                return null;
            }
            args.add(Arrays.copyOfRange(buf, data, data + (int) len));
            p = data + (int) len + 2;
        }
        at[0] = p;
        return args;
    }

    /** Parses one whole reply. */
    static Object parse(byte[] reply) {
        int[] at = {0};
        Object v = parse(reply, at);
        if (at[0] != reply.length) {
            throw new Malformed("trailing bytes after the reply", at[0]);
        }
        return v;
    }

    private static Object parse(byte[] buf, int[] at) {
        int from = at[0];
        int eol = lineEnd(buf, from, buf.length);
        if (eol < 0) {
            throw new Malformed("incomplete reply", from);
        }
        char type = (char) buf[from];
        at[0] = eol + 2;
        switch (type) {
            case '$', '=', '!' -> {
                long n = number(buf, from + 1, eol);
                if (n < 0) {
                    return new Nil(type);
                }
                byte[] b = Arrays.copyOfRange(buf, at[0], at[0] + (int) n);
                at[0] += (int) n + 2;
                return new Bulk(type, b);
            }
            case '*', '%', '~', '|', '>' -> {
                long n = number(buf, from + 1, eol);
                if (n < 0) {
                    return new Nil(type);
                }
                long items = type == '%' || type == '|' ? 2 * n : n;
                List<Object> list = new ArrayList<>();
                for (long i = 0; i < items; i++) {
                    list.add(parse(buf, at));
                }
                return new Aggregate(type, list);
            }
            case '_' -> {
                return new Nil(type);
            }
            default -> {
                return new Line(type, new String(buf, from + 1, eol - from - 1, StandardCharsets.ISO_8859_1));
            }
        }
    }

    /** The index of the CR of the CRLF that ends the line starting at {@code from}, or -1. */
    private static int lineEnd(byte[] buf, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static long number(byte[] buf, int from, int to) {
        try {
            return Long.parseLong(new String(buf, from, to - from, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            throw new Malformed("bad length", from);
        }
    }
}
