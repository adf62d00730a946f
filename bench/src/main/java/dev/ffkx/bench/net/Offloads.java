package dev.ffkx.bench.net;

import java.nio.file.Path;
import java.util.List;

/**
 * The ffkx offloads as rows of the comparison. Each runs as its own process, the ffkx command
 * from the jar this JVM runs from, so its CPU time is measured like a real server's.
 */
public final class Offloads {
    private static final String FFKX_MAIN = "dev.ffkx.cli.Ffkx";

    private Offloads() {}

    /**
     * The memcached store: UDP through XDP (generic mode: on veth, native XDP cannot grow a frame
     * into a reply larger than its request), TCP through sk_skb.
     */
    public static ServerUnderTest kmemcached() {
        return ServerUnderTest.process("ffkx --kmemcached", e -> List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FFKX_MAIN,
                "--kmemcached", "--ifindex", Integer.toString(e.ifindex()), "--port", Integer.toString(e.port()),
                "--xdp-mode", "generic", "--heap", "512m", "--stats-interval", "3600"));
    }

    /** Redis strings through sk_skb. */
    public static ServerUnderTest kmemcache() {
        return redis("--kmemcache");
    }

    /** Redis strings and sorted sets through sk_skb. */
    public static ServerUnderTest kredis() {
        return redis("--kredis");
    }

    private static ServerUnderTest redis(String flag) {
        return ServerUnderTest.process("ffkx " + flag, e -> List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FFKX_MAIN,
                flag, "--port", Integer.toString(e.port()), "--heap", "512m", "--stats-interval", "3600"));
    }
}
