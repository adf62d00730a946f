package dev.ffkx.bench.net;

/**
 * The ffkx offloads as rows of the comparison. None is built yet, so each says so; when one lands,
 * its row becomes {@code ServerUnderTest.inJvm(NAME, endpoint -> controller.start(endpoint))} (or
 * {@code ServerUnderTest.process} running {@code ffkx --kmemcached --ifindex N --port P}).
 */
public final class Offloads {
    private static final String NOT_BUILT = "not available yet (the offload is not built)";

    private Offloads() {}

    /** The memcached store: UDP through XDP, TCP through sk_skb. */
    public static ServerUnderTest kmemcached() {
        return ServerUnderTest.notAvailable("ffkx --kmemcached", NOT_BUILT);
    }

    /** Redis strings through sk_skb. */
    public static ServerUnderTest kmemcache() {
        return ServerUnderTest.notAvailable("ffkx --kmemcache", NOT_BUILT);
    }

    /** Redis strings and sorted sets through sk_skb. */
    public static ServerUnderTest kredis() {
        return ServerUnderTest.notAvailable("ffkx --kredis", NOT_BUILT);
    }
}
