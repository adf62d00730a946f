package dev.ffkx.memcached.diff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * memcached's UDP framing from the client side. Every datagram starts with an 8-byte header of
 * big-endian 16-bit fields: request id, sequence number, datagram count, and a reserved zero.
 * A request is one datagram (count 1). A reply comes as one or more <em>messages</em> under the
 * request's id, each numbered 0..count-1 on its own: memcached 1.6 sends a separate message for
 * every reply (and for every key of a multi-get), splits each into datagrams of at most 1400
 * bytes, and may send empty messages (count 0). The reply is the concatenation of the messages'
 * payloads; only that is compared, not how a server cut it into datagrams.
 */
final class UdpConnection implements AutoCloseable {
    private static final int HEADER = 8;

    private final DatagramSocket socket;
    private final byte[] buf = new byte[65_536];
    private int nextId = 1;

    /** A datagram for an earlier request: a late or unexpected reply. */
    record Stray(int requestId, byte[] payload) {}

    /** The reassembled reply to one request, and whatever else arrived meanwhile. */
    record Reply(byte[] payload, boolean complete, List<String> framingErrors, List<Stray> strays) {}

    UdpConnection(String host, int port) throws IOException {
        socket = new DatagramSocket();
        socket.setReceiveBufferSize(4 << 20);
        socket.connect(new InetSocketAddress(host, port));
    }

    /** Sends one request and returns its id. */
    int send(byte[] request) throws IOException {
        if (request.length > Transport.MAX_DATAGRAM_REQUEST) {
            throw new IllegalArgumentException(request.length + "-byte request does not fit a datagram");
        }
        int id = nextId;
        nextId = (nextId + 1) & 0xffff;
        byte[] d = new byte[HEADER + request.length];
        d[0] = (byte) (id >> 8);
        d[1] = (byte) id;
        d[5] = 1; // one datagram
        System.arraycopy(request, 0, d, HEADER, request.length);
        socket.send(new DatagramPacket(d, d.length));
        return id;
    }

    /**
     * Receives the reply to request {@code id} until it holds {@code replies} complete replies
     * with no message left half-received, or the timeout passes. With {@code replies == 0} it
     * only collects what is already waiting.
     */
    Reply receive(int id, int replies, long timeoutMillis) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        List<String> errors = new ArrayList<>();
        List<Stray> strays = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int count = -1; // datagrams in the message being received; -1 between messages
        int seq = 0;
        while (true) {
            if (count < 0 && replies > 0 && complete(payload.toByteArray(), replies)) {
                return new Reply(payload.toByteArray(), true, errors, strays);
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return new Reply(payload.toByteArray(), replies == 0 && count < 0, errors, strays);
            }
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            int len = p.getLength();
            if (len < HEADER) {
                errors.add("a " + len + "-byte datagram, shorter than the header");
                continue;
            }
            int rid = u16(0);
            int dseq = u16(2);
            int dcount = u16(4);
            byte[] data = java.util.Arrays.copyOfRange(buf, HEADER, len);
            if (rid != id) {
                strays.add(new Stray(rid, data));
                continue;
            }
            if (u16(6) != 0) {
                errors.add("reserved field " + u16(6));
            }
            if (count < 0) {
                if (dseq != 0) {
                    errors.add("a message starting at sequence number " + dseq);
                }
                count = dcount;
                seq = dseq;
            } else if (dseq != seq || dcount != count) {
                errors.add("datagram " + dseq + "/" + dcount + " where " + seq + "/" + count + " was due");
            }
            payload.write(data, 0, data.length);
            seq++;
            if (seq >= count) {
                count = -1;
                seq = 0;
            }
        }
    }

    private static boolean complete(byte[] payload, int replies) {
        ReplyFramer.Split s = ReplyFramer.split(payload, 0, payload.length);
        return s.replies().size() >= replies && s.end() == payload.length;
    }

    private int u16(int at) {
        return (buf[at] & 0xff) << 8 | buf[at + 1] & 0xff;
    }

    @Override
    public void close() {
        socket.close();
    }
}
