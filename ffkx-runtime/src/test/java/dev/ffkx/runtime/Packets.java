package dev.ffkx.runtime;

/** Hand-built frames for test runs. */
final class Packets {
    private Packets() {}

    /** An Ethernet + IPv4 + UDP frame with the given payload (checksums left 0). */
    static byte[] udp(byte[] payload) {
        byte[] f = new byte[14 + 20 + 8 + payload.length];
        f[12] = 0x08; // ETH_P_IP
        f[14] = 0x45; // version 4, IHL 5
        int ipLen = 20 + 8 + payload.length;
        f[16] = (byte) (ipLen >> 8);
        f[17] = (byte) ipLen;
        f[22] = 64; // TTL
        f[23] = 17; // UDP
        int udpLen = 8 + payload.length;
        f[38] = (byte) (udpLen >> 8);
        f[39] = (byte) udpLen;
        System.arraycopy(payload, 0, f, 42, payload.length);
        return f;
    }
}
