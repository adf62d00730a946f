package dev.ffkx.runtime.stream;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One offloaded connection as the slow path sees it. Byte counts are the ordering protocol with
 * the kernel, in bytes of the stream handed up: {@code announced} is what the kernel says it
 * handed, {@code fed} what has been consumed (sent on to the session, or given way to the kernel's
 * replies), {@code acked} what the kernel was told is finished. Skbs the kernel answered whole and
 * dropped are in the stream but never in the socket ({@code virtual*}); {@code received} counts
 * socket bytes. Replies leave only after the kernel's own earlier replies ({@code kernelReplied}).
 */
final class Connection {
    /**
     * One announcement: bytes [start, end) of the stream, the first {@code answered} run by the
     * kernel; dropped ones never reach the socket.
     */
    record Segment(long start, long end, int answered, byte[] reply, boolean dropped) {}

    final int fd;
    final long cookie;
    final StreamSession session;
    final ArrayDeque<Segment> segments = new ArrayDeque<>();
    long announced;
    long virtualAnnounced;
    long virtualFed;
    long received;
    long fed;
    long sessionReceived;
    long acked;
    long kernelReplied;
    long kernelRepliedFlushed;
    long written;
    int interest;
    boolean peerClosed;
    boolean quit;
    /** Segments consumed since the last acknowledgement: dropped ones, and ones through the socket. */
    int droppedSinceAck;
    int passedSinceAck;

    private byte[] in = new byte[4096];
    private int inStart;
    private int inEnd;
    private byte[] out = new byte[4096];
    private int outStart;
    private int outEnd;

    Connection(int fd, long cookie, StreamSession session) {
        this.fd = fd;
        this.cookie = cookie;
        this.session = session;
    }

    void announce(long passed, long replied, int answered, byte[] reply, boolean dropped) {
        segments.add(new Segment(announced, passed, answered, reply, dropped));
        if (dropped) {
            virtualAnnounced += passed - announced;
        }
        announced = passed;
        kernelReplied = Math.max(kernelReplied, replied);
    }

    /** Room for n more input bytes at {@link #inEnd()}, compacting before growing. */
    byte[] inRoom(int n) {
        if (in.length - inEnd < n) {
            System.arraycopy(in, inStart, in, 0, inEnd - inStart);
            inEnd -= inStart;
            inStart = 0;
            if (in.length - inEnd < n) {
                in = Arrays.copyOf(in, Math.max(in.length * 2, inEnd + n));
            }
        }
        return in;
    }

    /** Socket bytes announced and not read yet. */
    boolean unread() {
        return received < announced - virtualAnnounced;
    }

    int inEnd() {
        return inEnd;
    }

    void received(int n) {
        inEnd += n;
        received += n;
    }

    /** The next n received bytes, consumed. */
    ByteBuffer take(int n) {
        ByteBuffer b = ByteBuffer.wrap(in, inStart, n).slice();
        inStart += n;
        fed += n;
        if (inStart == inEnd) {
            inStart = inEnd = 0;
        }
        return b;
    }

    /** Bytes received and finished with: the kernel's own, and the session's. */
    long finished() {
        return fed - (sessionReceived - session.finished());
    }

    void reply(byte[] r) {
        if (out.length - outEnd < r.length) {
            System.arraycopy(out, outStart, out, 0, outEnd - outStart);
            outEnd -= outStart;
            outStart = 0;
            if (out.length - outEnd < r.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, outEnd + r.length));
            }
        }
        System.arraycopy(r, 0, out, outEnd, r.length);
        outEnd += r.length;
    }

    byte[] outBytes() {
        return out;
    }

    int outStart() {
        return outStart;
    }

    int outPending() {
        return outEnd - outStart;
    }

    void sent(int n) {
        outStart += n;
        written += n;
        if (outStart == outEnd) {
            outStart = outEnd = 0;
        }
    }
}
