package dev.ffkx.runtime.stream;

import dev.ffkx.runtime.sys.LibC;

/** A socket or epoll call of the stream server failed; the message says which and why. */
public final class StreamException extends RuntimeException {
    StreamException(String what, int errno) {
        super(what + ": " + LibC.strerror(errno) + " (errno " + errno + ")");
    }

    StreamException(String message) {
        super(message);
    }
}
