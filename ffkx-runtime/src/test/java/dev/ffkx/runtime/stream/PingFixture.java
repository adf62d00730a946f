package dev.ffkx.runtime.stream;

import dev.ffkx.runtime.BpfObject;

/** The PING demonstrator loaded and served on a free loopback port. */
final class PingFixture implements AutoCloseable {
    final BpfObject object;
    final StreamOffloadServer server;

    PingFixture(String address, ReadSignal signal) {
        object = BpfObject.openResource("/bpf/stream_ping.bpf.o").load();
        try {
            server = StreamOffloadServer.start(object, object.program("stream_ping_verdict"), address, 0,
                    new RespHandler(), signal);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            object.close();
        }
    }
}
