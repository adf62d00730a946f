package dev.ffkx.redis.diff;

import dev.ffkx.redis.RedisOffload;

/** The Redis offload in this JVM on 127.0.0.1 and a free port, for a differential run. */
final class InProcessOffload implements ServerUnderTest {
    private final boolean sortedSets;
    private RedisOffload offload;

    /** {@code sortedSets}: as {@code ffkx --kredis}; otherwise as {@code ffkx --kmemcache}. */
    InProcessOffload(boolean sortedSets) {
        this.sortedSets = sortedSets;
    }

    @Override
    public String name() {
        return sortedSets ? "ffkx --kredis" : "ffkx --kmemcache";
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return offload.port();
    }

    @Override
    public void start() {
        offload = RedisOffload.start(new RedisOffload.Options("127.0.0.1", 0, 256L << 20, sortedSets));
    }

    @Override
    public void stop() {
        if (offload != null) {
            offload.close();
            offload = null;
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
