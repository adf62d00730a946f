package dev.ffkx.runtime;

import dev.ffkx.runtime.sys.LibBpf;
import dev.ffkx.runtime.sys.LibC;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A program attached somewhere. Closing it detaches the program, exactly once. Links made with
 * BPF_LINK_CREATE (XDP, sockops, cgroup) also die with the process, so a killed controller leaves
 * nothing attached; sk_skb attachments belong to their sockmap and go when the map does.
 */
public final class Link implements AutoCloseable {
    private final String description;
    private final Runnable detach;
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Link(String description, int fd, Runnable detach) {
        this.description = description;
        this.fd = fd;
        this.detach = detach;
    }

    static Link ofFd(String description, int linkFd) {
        return new Link(description, linkFd, () -> LibC.close(linkFd));
    }

    static Link ofProgAttach(String description, int progFd, int targetFd, AttachType type) {
        return new Link(description, -1, () -> {
            int ret = LibBpf.bpf_prog_detach2(progFd, targetFd, type.value);
            if (ret < 0 && -ret != Errno.ENOENT) {
                throw new BpfException("detaching " + description, -ret);
            }
        });
    }

    /** The bpf_link fd, or -1 for an attachment that has none. */
    public int fd() {
        return fd;
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            detach.run();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
