package dev.ffkx.memcached.diff;

/** How a run reaches the servers. */
public enum Transport {
    /**
     * One connection per server, commands pipelined at random depths, request bytes split at
     * random places across writes (with TCP_NODELAY and short pauses, so the server really reads
     * them piecemeal).
     */
    TCP,
    /**
     * One command per datagram behind memcached's 8-byte frame header, each answered before the
     * next is sent; replies reassembled from their datagrams by request id and sequence number.
     */
    UDP;

    /** The largest request one UDP datagram carries: 65507 bytes of payload less the frame header. */
    static final int MAX_DATAGRAM_REQUEST = 65_507 - 8;
}
