package dev.ffkx.bench.load;

import io.netty.buffer.ByteBuf;

/** A request sent and not yet answered. */
final class Pending {
    final OpType type;
    final long key;
    long sentNanos;
    int bytesOut;
    /**
     * SET: the version written. GET over UDP: the newest version known to be stored when the GET
     * was sent, 0 if none is known, -1 if the key was never set by this run.
     */
    long version;
    /** SET over UDP: every earlier SET of this key was answered when this one was sent. */
    boolean afterResolved;
    int requestId;
    /** UDP: the datagrams of a reply that spans several, by sequence number. */
    ByteBuf[] parts;
    int partsSeen;
    boolean done;

    Pending(OpType type, long key) {
        this.type = type;
        this.key = key;
    }

    void releaseParts() {
        if (parts != null) {
            for (ByteBuf p : parts) {
                if (p != null) {
                    p.release();
                }
            }
            parts = null;
        }
    }
}
