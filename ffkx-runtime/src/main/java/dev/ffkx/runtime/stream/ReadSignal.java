package dev.ffkx.runtime.stream;

/** How the server learns that an offloaded socket has bytes for it. */
public enum ReadSignal {
    /** The kernel announces each pass on a ring buffer: no wakeup for skbs it answered itself. */
    RING_BUFFER,
    /**
     * The kernel announces skbs it answered whole but cannot send itself without waking anyone,
     * and the socket's own wakeup, which follows every verdict, is the signal: offloaded sockets
     * are polled edge-triggered, so each verdict wakes the server once, and the ring buffer is
     * drained on every wakeup. Passes still wake through the ring. Cheapest when most replies
     * need user space to send them: a ring-buffer wakeup is an irq_work, a self-IPI, which in a
     * VM costs an exit per announcement.
     */
    SOCKET_EDGE,
    /**
     * Every offloaded socket is polled for input, as an ordinary server would. The kernel wakes
     * the server for every skb, answered or not; kept to measure what {@link #RING_BUFFER} saves.
     */
    SOCKET_POLL
}
