package dev.ffkx.runtime.stream;

import dev.ffkx.runtime.sys.LibC;

/** A socket or epoll call of the stream server failed; the message says which and why. */
public final class StreamException extends RuntimeException {
    private final int errno;

    StreamException(String what, int errno) {
        super(what + ": " + LibC.strerror(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    StreamException(String message) {
        super(message);
        this.errno = 0;
    }

    /** The errno of the failed call, 0 if none failed. */
    public int errno() {
        return errno;
    }
}
