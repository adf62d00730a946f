package dev.ffkx.runtime.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One offloaded connection as the slow path sees it. Byte counts are the ordering protocol with
 * the kernel: {@code announced} is what the kernel says it passed up, {@code received} what has
 * been read of it, {@code answered} what the handler replied to, {@code acked} what the kernel was
 * told; replies leave only after the kernel's own earlier replies ({@code kernelReplied}).
 */
final class Connection {
    final int fd;
    final long cookie;
    long announced;
    long received;
    long answered;
    long acked;
    long kernelReplied;
    long kernelRepliedFlushed;
    long written;
    int interest;
    boolean peerClosed;
    /** The handler asked to close once the replies are out: nothing more is read or answered. */
    boolean closing;
    final StreamHandler handler;

    private byte[] in = new byte[4096];
    private int inStart;
    private int inEnd;
    private byte[] out = new byte[4096];
    private int outStart;
    private int outEnd;

    Connection(int fd, long cookie, StreamHandler handler) {
        this.fd = fd;
        this.cookie = cookie;
        this.handler = handler;
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

    /** The unanswered input; its position is the next command's start. */
    ByteBuffer pending() {
        return ByteBuffer.wrap(in, inStart, inEnd - inStart).slice();
    }

    void consumed(int n) {
        inStart += n;
        answered += n;
        if (inStart == inEnd) {
            inStart = inEnd = 0;
        }
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
