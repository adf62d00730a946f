package dev.ffkx.bench.net;

import dev.ffkx.runtime.net.NetNamespace;

/** A load generator run from the clients' namespace against a server's endpoint. */
interface Client {
    String name();

    /** UDP-only servers (the XDP echo) take only UDP clients. */
    boolean udp();

    Measurement run(NetNamespace namespace, Endpoint endpoint, int seconds) throws Exception;
}
