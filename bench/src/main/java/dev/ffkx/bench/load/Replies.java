package dev.ffkx.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Frames and classifies responses in place. Each parser takes absolute indexes into a buffer and
 * returns the index just past one whole response, or -1 when the response is not complete yet.
 */
final class Replies {
    private static final int MAX_ARRAY_DEPTH = 16;

    private Replies() {}

    static int parse(Protocol protocol, ByteBuf b, int start, int end, Reply r) {
        return protocol == Protocol.REDIS ? resp(b, start, end, r, 0) : memcached(b, start, end, r);
    }

    /** memcached text: one line, or VALUE blocks closed by END. */
    static int memcached(ByteBuf b, int start, int end, Reply r) {
        int eol = b.indexOf(start, end, (byte) '\n');
        if (eol < 0) {
            return -1;
        }
        if (!startsWith(b, start, eol, "VALUE ")) {
            r.kind = startsWith(b, start, eol, "STORED") ? Reply.Kind.STORED
                    : startsWith(b, start, eol, "END") ? Reply.Kind.MISS
                    : startsWith(b, start, eol, "ERROR") || startsWith(b, start, eol, "CLIENT_ERROR")
                            || startsWith(b, start, eol, "SERVER_ERROR") ? Reply.Kind.ERROR
                    : Reply.Kind.OTHER;
            if (r.kind == Reply.Kind.ERROR) {
                r.errorLine = line(b, start, eol);
            }
            return eol + 1;
        }
        int pos = start;
        boolean first = true;
        while (true) {
            eol = b.indexOf(pos, end, (byte) '\n');
            if (eol < 0) {
                return -1;
            }
            if (startsWith(b, pos, eol, "END")) {
                r.kind = Reply.Kind.HIT;
                return eol + 1;
            }
            if (!startsWith(b, pos, eol, "VALUE ")) {
                throw new ProtocolException("expected VALUE or END from memcached, got: " + line(b, pos, eol));
            }
            int length = valueLength(b, pos, eol);
            int dataStart = eol + 1;
            if ((long) dataStart + length + 2 > end) {
                return -1;
            }
            if (first) {
                r.valueIndex = dataStart;
                r.valueLength = length;
                first = false;
            }
            pos = dataStart + length + 2;
        }
    }

    /** The bytes field, the fourth of "VALUE key flags bytes [cas]". */
    private static int valueLength(ByteBuf b, int start, int eol) {
        int field = 0;
        int value = 0;
        boolean inToken = false;
        for (int i = start; i < eol; i++) {
            byte c = b.getByte(i);
            if (c == ' ' || c == '\r') {
                if (inToken && field == 4) {
                    return value;
                }
                inToken = false;
                continue;
            }
            if (!inToken) {
                inToken = true;
                field++;
                value = 0;
            }
            if (field == 4) {
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
            }
        }
        if (inToken && field == 4) {
            return value;
        }
        throw new ProtocolException("malformed VALUE line from memcached: " + line(b, start, eol));
    }

    /** RESP2 (and the RESP3 scalars): the top-level value decides the kind. */
    private static int resp(ByteBuf b, int pos, int end, Reply r, int depth) {
        if (pos >= end) {
            return -1;
        }
        int eol = b.indexOf(pos, end, (byte) '\n');
        if (eol < 0) {
            return -1;
        }
        byte type = b.getByte(pos);
        boolean top = depth == 0;
        switch (type) {
            case '+' -> {
                if (top) r.kind = startsWith(b, pos, eol, "+OK") ? Reply.Kind.STORED : Reply.Kind.OTHER;
                return eol + 1;
            }
            case '-' -> {
                if (top) {
                    r.kind = Reply.Kind.ERROR;
                    r.errorLine = line(b, pos, eol);
                }
                return eol + 1;
            }
            case ':', ',', '#', '(' -> {
                if (top) r.kind = Reply.Kind.OTHER;
                return eol + 1;
            }
            case '_' -> {
                if (top) r.kind = Reply.Kind.MISS;
                return eol + 1;
            }
            case '$' -> {
                long len = number(b, pos + 1, eol);
                if (len < 0) {
                    if (top) r.kind = Reply.Kind.MISS;
                    return eol + 1;
                }
                long next = eol + 1 + len + 2;
                if (next > end) {
                    return -1;
                }
                if (top) {
                    r.kind = Reply.Kind.HIT;
                    r.valueIndex = eol + 1;
                    r.valueLength = (int) len;
                }
                return (int) next;
            }
            case '*', '%', '~' -> {
                if (depth >= MAX_ARRAY_DEPTH) {
                    throw new ProtocolException("RESP nesting deeper than " + MAX_ARRAY_DEPTH);
                }
                long n = number(b, pos + 1, eol) * (type == '%' ? 2 : 1);
                int p = eol + 1;
                for (long i = 0; i < n; i++) {
                    p = resp(b, p, end, r, depth + 1);
                    if (p < 0) {
                        return -1;
                    }
                }
                if (top) r.kind = n < 0 ? Reply.Kind.MISS : Reply.Kind.OTHER;
                return p;
            }
            default -> throw new ProtocolException("unexpected RESP type byte '" + (char) type + "' in: " + line(b, pos, eol));
        }
    }

    private static long number(ByteBuf b, int from, int eol) {
        int to = eol > from && b.getByte(eol - 1) == '\r' ? eol - 1 : eol;
        boolean negative = from < to && b.getByte(from) == '-';
        long v = 0;
        for (int i = negative ? from + 1 : from; i < to; i++) {
            byte c = b.getByte(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("malformed RESP length: " + line(b, from - 1, eol));
            }
            v = v * 10 + (c - '0');
        }
        return negative ? -v : v;
    }

    private static boolean startsWith(ByteBuf b, int start, int eol, String prefix) {
        if (eol - start < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b.getByte(start + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String line(ByteBuf b, int start, int eol) {
        int len = Math.min(eol - start, 200);
        return b.toString(start, Math.max(0, len), StandardCharsets.US_ASCII).strip();
    }

    /** A response that no well-behaved server sends: the connection can't be trusted after it. */
    static final class ProtocolException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }
}
