package dev.ffkx.memcached;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Ethernet + IPv4 + UDP frames as a memcached client sends them, for XDP test runs. */
final class UdpFrames {
    static final int CLIENT_PORT = 40000;

    private UdpFrames() {}

    /** A one-datagram memcached request from 10.0.0.2:40000 to 10.0.0.1:{@code port}. */
    static byte[] request(int port, int requestId, String request) {
        byte[] payload = request.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer f = ByteBuffer.allocate(14 + 20 + 8 + 8 + payload.length);
        f.put(new byte[] {2, 0, 0, 0, 0, 1}).put(new byte[] {2, 0, 0, 0, 0, 2}).putShort((short) 0x0800);
        f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + 8 + payload.length)).putInt(0)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {10, 0, 0, 2}).put(new byte[] {10, 0, 0, 1});
        f.putShort((short) CLIENT_PORT).putShort((short) port).putShort((short) (8 + 8 + payload.length))
                .putShort((short) 0);
        f.putShort((short) requestId).putShort((short) 0).putShort((short) 1).putShort((short) 0);
        f.put(payload);
        return f.array();
    }
}
