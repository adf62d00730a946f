package dev.ffkx.runtime.stream;

/** How the server learns that an offloaded socket has bytes for it. */
public enum ReadSignal {
    /** The kernel announces each pass on a ring buffer: no wakeup for skbs it answered itself. */
    RING_BUFFER,
    /**
     * Every offloaded socket is polled for input, as an ordinary server would. The kernel wakes
     * the server for every skb, answered or not; kept to measure what {@link #RING_BUFFER} saves.
     */
    SOCKET_POLL
}
