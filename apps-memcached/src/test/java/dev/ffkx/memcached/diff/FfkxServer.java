package dev.ffkx.memcached.diff;

import dev.ffkx.memcached.MemcachedOffload;
import dev.ffkx.runtime.XdpMode;
import dev.ffkx.runtime.net.Interfaces;
import java.io.IOException;
import java.net.ServerSocket;

/**
 * ffkx --kmemcached, started in this JVM on loopback: XDP in generic mode on lo, so UDP requests
 * to it go through the XDP fast path, and TCP through the sk_skb one.
 */
final class FfkxServer implements ServerUnderTest {
    private final int itemSizeMax;
    private final long heapBytes;
    private int port;
    private MemcachedOffload offload;

    FfkxServer(int itemSizeMax, long heapBytes) {
        this.itemSizeMax = itemSizeMax;
        this.heapBytes = heapBytes;
    }

    @Override
    public String name() {
        return "ffkx";
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int tcpPort() {
        return port;
    }

    @Override
    public int udpPort() {
        return port;
    }

    @Override
    public void start() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        offload = MemcachedOffload.start(new MemcachedOffload.Options(Interfaces.ifindex("lo"), port, heapBytes,
                itemSizeMax, XdpMode.GENERIC));
    }

    /** The TCP server's counters (see MemcachedOffload#tcpStats). */
    dev.ffkx.runtime.stream.StreamOffloadServer.Stats tcpStats() {
        return offload.tcpStats();
    }

    @Override
    public void stop() {
        if (offload != null) {
            offload.close();
            offload = null;
        }
    }
}
