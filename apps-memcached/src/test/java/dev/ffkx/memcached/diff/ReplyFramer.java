package dev.ffkx.memcached.diff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a memcached reply stream into replies without looking at the requests. A reply is any
 * number of {@code VALUE} blocks (whose data is skipped by its declared length, so a value may
 * hold {@code \r\n}) or {@code STAT} lines, ended by one other line: {@code END}, {@code STORED},
 * an error, a number. {@link RequestModel} says how many replies to expect; this says where each
 * one ends.
 */
final class ReplyFramer {
    private ReplyFramer() {}

    /** Complete replies found in a stretch of the stream, and where the unparsed rest begins. */
    record Split(List<byte[]> replies, int end) {}

    /** The end of the reply that starts at {@code from}, or -1 if {@code buf[from, to)} holds only part of one. */
    static int replyEnd(byte[] buf, int from, int to) {
        int pos = from;
        while (true) {
            int cr = crlf(buf, pos, to);
            if (cr < 0) {
                return -1;
            }
            int next = cr + 2;
            if (startsWith(buf, pos, cr, "VALUE ")) {
                long length = valueLength(buf, pos, cr);
                if (length < 0) {
                    return next; // a malformed VALUE line ends a reply like any other line
                }
                long after = next + length + 2;
                if (after > to) {
                    return -1;
                }
                pos = (int) after;
            } else if (startsWith(buf, pos, cr, "STAT ")) {
                pos = next;
            } else {
                return next;
            }
        }
    }

    /** Every complete reply in {@code buf[from, to)}, in order. */
    static Split split(byte[] buf, int from, int to) {
        List<byte[]> replies = new ArrayList<>();
        int pos = from;
        int end;
        while (pos < to && (end = replyEnd(buf, pos, to)) >= 0) {
            replies.add(Arrays.copyOfRange(buf, pos, end));
            pos = end;
        }
        return new Split(replies, pos);
    }

    /** The data length a {@code VALUE <key> <flags> <bytes> [<cas>]} line declares, or -1. */
    static long valueLength(byte[] buf, int from, int to) {
        int fields = 0;
        long length = -1;
        int i = from;
        while (i < to) {
            int sp = RequestModel.indexOf(buf, (byte) ' ', i, to);
            int wordEnd = sp < 0 ? to : sp;
            if (fields == 3) {
                length = digits(buf, i, wordEnd);
            }
            fields++;
            i = wordEnd + 1;
        }
        return fields == 4 || fields == 5 ? length : -1;
    }

    private static long digits(byte[] buf, int from, int to) {
        if (from == to || to - from > 10) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            if (buf[i] < '0' || buf[i] > '9') {
                return -1;
            }
            v = v * 10 + (buf[i] - '0');
        }
        return v;
    }

    private static int crlf(byte[] buf, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static boolean startsWith(byte[] buf, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (buf[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
