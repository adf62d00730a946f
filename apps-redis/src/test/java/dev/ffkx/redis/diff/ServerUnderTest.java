package dev.ffkx.redis.diff;

/**
 * A Redis-compatible server a differential run talks to over TCP: the reference
 * ({@link RedisServer}) or the one being proven identical to it. A server under test (the
 * offload in this JVM, or the {@code ffkx --kredis} process) implements these few methods.
 */
public interface ServerUnderTest extends AutoCloseable {
    /** A short name for reports. */
    String name();

    String host();

    int port();

    /** Starts the server, empty, and returns once it answers. */
    void start() throws Exception;

    /** Stops the server; safe to call more than once, and after a failed start. */
    void stop();

    @Override
    default void close() {
        stop();
    }
}
