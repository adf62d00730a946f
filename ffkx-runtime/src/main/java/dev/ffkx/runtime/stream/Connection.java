package dev.ffkx.runtime.stream;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One offloaded connection as the slow path sees it. Byte counts are the ordering protocol with
 * the kernel: {@code announced} is what the kernel says it passed up, {@code received} what has
 * been read of it, {@code fed} what has been consumed (sent on to the session, or dropped in
 * favour of the kernel's replies), {@code acked} what the kernel was told is finished; replies
 * leave only after the kernel's own earlier replies ({@code kernelReplied}).
 */
final class Connection {
    /** One announced pass: bytes [start, end) of the stream, the first {@code answered} run by the kernel. */
    record Segment(long start, long end, int answered, byte[] reply) {}

    final int fd;
    final long cookie;
    final StreamSession session;
    final ArrayDeque<Segment> segments = new ArrayDeque<>();
    long announced;
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

    void announce(long passed, long replied, int answered, byte[] reply) {
        segments.add(new Segment(announced, passed, answered, reply));
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
