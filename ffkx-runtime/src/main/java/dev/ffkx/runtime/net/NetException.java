package dev.ffkx.runtime.net;

/** A failed network set-up or tear-down step. */
public final class NetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NetException(String message) {
        super(message);
    }
}
