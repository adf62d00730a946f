package dev.ffkx.runtime.stream;

import dev.ffkx.runtime.sys.LibC;
import dev.ffkx.runtime.sys.NativeMemory;

/** An epoll instance whose events carry the fd they are about. */
final class Poller implements AutoCloseable {
    private static final int MAX_EVENTS = 256;

    private final int epfd;
    private final NativeMemory events = NativeMemory.allocate((long) MAX_EVENTS * LibC.EPOLL_EVENT_SIZE);
    private final byte[] one = new byte[LibC.EPOLL_EVENT_SIZE];

    Poller() {
        epfd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (epfd < 0) {
            events.close();
            throw new StreamException("creating an epoll instance", LibC.errno());
        }
    }

    void add(int fd, int mask) {
        control(LibC.EPOLL_CTL_ADD, fd, mask);
    }

    void modify(int fd, int mask) {
        control(LibC.EPOLL_CTL_MOD, fd, mask);
    }

    private void control(int op, int fd, int mask) {
        one[0] = (byte) mask;
        one[1] = (byte) (mask >>> 8);
        one[2] = (byte) (mask >>> 16);
        one[3] = (byte) (mask >>> 24);
        for (int i = 0; i < 8; i++) {
            one[4 + i] = (byte) (i < 4 ? fd >>> (8 * i) : 0);
        }
        if (LibC.epoll_ctl(epfd, op, fd, one) != 0) {
            throw new StreamException("epoll_ctl op " + op + " on fd " + fd, LibC.errno());
        }
    }

    /** Waits for events; returns how many, readable with {@link #fd} and {@link #mask}. */
    int await(int timeoutMs) {
        int n = LibC.epoll_wait(epfd, events.address(), MAX_EVENTS, timeoutMs);
        if (n < 0) {
            int errno = LibC.errno();
            if (errno == 4) { // EINTR
                return 0;
            }
            throw new StreamException("epoll_wait", errno);
        }
        return n;
    }

    int fd(int i) {
        return events.getInt((long) i * LibC.EPOLL_EVENT_SIZE + 4);
    }

    int mask(int i) {
        return events.getInt((long) i * LibC.EPOLL_EVENT_SIZE);
    }

    @Override
    public void close() {
        LibC.close(epfd);
        events.close();
    }
}
