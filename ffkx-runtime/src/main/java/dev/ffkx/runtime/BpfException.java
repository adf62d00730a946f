package dev.ffkx.runtime;

/** A failed BPF operation: what was attempted, and the errno it failed with (positive, or 0). */
public class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public BpfException(String what, int errno) {
        super(what + ": " + Errno.describe(errno));
        this.errno = Math.abs(errno);
    }

    public BpfException(String message) {
        super(message);
        this.errno = 0;
    }

    public BpfException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
    }

    protected BpfException(String message, int errno, boolean verbatim) {
        super(message);
        this.errno = Math.abs(errno);
    }

    public int errno() {
        return errno;
    }

    /** Throws for a libbpf int return below zero, else returns it. */
    static int check(int ret, String what) {
        if (ret < 0) {
            throw new BpfException(what, -ret);
        }
        return ret;
    }
}
