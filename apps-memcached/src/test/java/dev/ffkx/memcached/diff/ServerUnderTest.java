package dev.ffkx.memcached.diff;

/**
 * A memcached-compatible server a differential run talks to: the reference
 * ({@link MemcachedServer}) or the one being proven identical to it.
 *
 * <p>A run opens its own TCP connections and its own UDP socket; the server must answer on both
 * ports from {@link #start()} until {@link #stop()}. Over UDP it must serve one client's
 * datagrams in the order they arrive, as memcached with one worker thread does: a noreply
 * datagram has nothing to wait for, so the next one follows it at once.
 */
public interface ServerUnderTest extends AutoCloseable {
    /** A short name for reports. */
    String name();

    String host();

    int tcpPort();

    int udpPort();

    /** Starts the server and returns once it answers on both ports. */
    void start() throws Exception;

    /** Stops the server; safe to call more than once, and after a failed start. */
    void stop();

    @Override
    default void close() {
        stop();
    }
}
