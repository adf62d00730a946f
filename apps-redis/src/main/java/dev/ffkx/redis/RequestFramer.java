package dev.ffkx.redis;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames one Redis request at a buffer's position as Redis 7.0's processMultibulkBuffer and
 * processInlineBuffer do, with the same protocol errors: after one, Redis replies with it and
 * closes the connection, discarding what followed.
 */
final class RequestFramer {
    /** PROTO_INLINE_MAX_SIZE: an unterminated line longer than this is an error. */
    static final int INLINE_MAX = 64 * 1024;

    /**
     * A framed request: its length, its arguments (none for a request Redis ignores: an empty
     * line, {@code *0}, {@code *-1}), or the protocol error that ends the connection.
     */
    record Frame(int length, List<byte[]> argv, String error) {
        static Frame of(int length, List<byte[]> argv) {
            return new Frame(length, argv, null);
        }

        static Frame error(ByteBuffer in, String error) {
            return new Frame(in.remaining(), List.of(), "Protocol error: " + error);
        }
    }

    private final long maxBulk;

    /** {@code maxBulk}: Redis' proto-max-bulk-len, the longest argument accepted. */
    RequestFramer(long maxBulk) {
        this.maxBulk = maxBulk;
    }

    /** The request at in's position (not moved), or null when more bytes are needed. */
    Frame frame(ByteBuffer in) {
        int p = in.position();
        return in.get(p) == '*' ? multibulk(in, p) : inline(in, p);
    }

    private Frame multibulk(ByteBuffer in, int start) {
        int cr = indexOf(in, start, (byte) '\r');
        if (cr < 0) {
            return in.remaining() > INLINE_MAX ? Frame.error(in, "too big mbulk count string") : null;
        }
        if (cr + 1 >= in.limit()) {
            return null;
        }
        Long count = string2ll(in, start + 1, cr);
        if (count == null || count > Integer.MAX_VALUE) {
            return Frame.error(in, "invalid multibulk length");
        }
        int at = cr + 2;
        if (count <= 0) {
            return Frame.of(at - start, List.of());
        }
        List<byte[]> argv = new ArrayList<>((int) Math.min(count, 1024));
        for (long i = 0; i < count; i++) {
            cr = indexOf(in, at, (byte) '\r');
            if (cr < 0) {
                return in.limit() - at > INLINE_MAX ? Frame.error(in, "too big bulk count string") : null;
            }
            if (cr + 1 >= in.limit()) {
                return null;
            }
            if (in.get(at) != '$') {
                return Frame.error(in, "expected '$', got '" + (char) (in.get(at) & 0xff) + "'");
            }
            Long len = string2ll(in, at + 1, cr);
            if (len == null || len < 0 || len > maxBulk) {
                return Frame.error(in, "invalid bulk length");
            }
            at = cr + 2;
            if ((long) in.limit() - at < len + 2) {
                return null;
            }
            byte[] arg = new byte[(int) (long) len];
            in.get(at, arg);
            argv.add(arg);
            at += len + 2; // Redis skips the two bytes after a bulk without looking at them
        }
        return Frame.of(at - start, argv);
    }

    private static Frame inline(ByteBuffer in, int start) {
        int nl = indexOf(in, start, (byte) '\n');
        if (nl < 0) {
            return in.remaining() > INLINE_MAX ? Frame.error(in, "too big inline request") : null;
        }
        int end = nl > start && in.get(nl - 1) == '\r' ? nl - 1 : nl;
        byte[] line = new byte[end - start];
        in.get(start, line);
        List<byte[]> argv = InlineArgs.split(line);
        if (argv == null) {
            return Frame.error(in, "unbalanced quotes in request");
        }
        return Frame.of(nl + 1 - start, argv);
    }

    private static int indexOf(ByteBuffer in, int from, byte b) {
        for (int i = from; i < in.limit(); i++) {
            if (in.get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    /** Redis' string2ll over [from, to), or null where it fails. */
    static Long string2ll(ByteBuffer in, int from, int to) {
        byte[] s = new byte[Math.max(0, to - from)];
        in.get(from, s);
        return string2ll(s);
    }

    static Long string2ll(byte[] s) {
        int n = s.length;
        if (n == 0 || n > 20) {
            return null;
        }
        if (n == 1 && s[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean neg = s[0] == '-';
        if (neg && ++i == n) {
            return null;
        }
        if (s[i] < '1' || s[i] > '9') {
            return null;
        }
        long v = 0; // magnitude, as unsigned
        for (; i < n; i++) {
            if (s[i] < '0' || s[i] > '9') {
                return null;
            }
            long next = v * 10 + (s[i] - '0');
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0 || Long.compareUnsigned(next, v * 10) < 0) {
                return null;
            }
            v = next;
        }
        if (neg) {
            return Long.compareUnsigned(v, Long.MIN_VALUE) > 0 ? null : -v;
        }
        return v < 0 ? null : v;
    }
}
