package dev.ffkx.bench.net;

import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.XdpMode;

/**
 * The ceiling row: an XDP program on the server's veth that answers every memcached UDP request
 * itself (see xdp_echo.bpf.c). No server can beat it on this path, so it shows how much of the
 * gap between the server and the wire is left.
 */
public final class XdpEcho {
    private XdpEcho() {}

    public static ServerUnderTest server() {
        return ServerUnderTest.inJvm("XDP echo (ceiling)", XdpEcho::start);
    }

    private static AutoCloseable start(Endpoint endpoint) {
        BpfObject obj = BpfObject.openResource("/bpf/xdp_echo.bpf.o");
        try {
            obj.setReadOnlyConfig(new byte[] {(byte) endpoint.port(), (byte) (endpoint.port() >>> 8)});
            obj.load();
            obj.program("xdp_echo").attachXdp(endpoint.ifindex(), XdpMode.NATIVE);
            return obj;
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }
}
