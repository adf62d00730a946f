package dev.ffkx.memcached.diff;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs commands one datagram at a time, each answered before the next is sent. A command that
 * expects no reply is not waited for; if a reply comes anyway, it shows up later under its own
 * request id and is reported against that command.
 */
final class UdpRunner implements Runner {
    private static final long TIMEOUT_MILLIS = 5_000;
    private static final long LINGER_MILLIS = 200;

    private final UdpConnection connection;
    private final Captures captures = new Captures();
    private final Map<Integer, Long> sent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Long> eldest) {
            return size() > 4096;
        }
    };

    UdpRunner(ServerUnderTest server) throws IOException {
        connection = new UdpConnection(server.host(), server.udpPort());
    }

    @Override
    public Answer run(List<Step> batch) throws IOException {
        if (batch.size() != 1) {
            throw new IllegalArgumentException("one command per datagram");
        }
        Step step = batch.get(0);
        byte[] request = step.command().render(captures::get);
        int id = connection.send(request);
        sent.put(id, step.index());
        int expected = step.replies();
        UdpConnection.Reply r = connection.receive(id, expected, expected == 0 ? 0 : TIMEOUT_MILLIS);
        if (expected == 0 && request.length > LARGE_DATAGRAM) {
            // nothing to wait for: give the server time to read it before the next large one, or
            // two in a row overflow a default socket buffer and one is lost, for either server
            sleep(NOREPLY_PAUSE_MILLIS);
        }
        List<byte[]> replies = Runner.replies(r.payload(), 0, r.payload().length);
        captures.record(batch, replies);
        return new Answer(replies, r.complete() ? null : "no complete reply within " + TIMEOUT_MILLIS + " ms",
                r.framingErrors(), late(r.strays()));
    }

    private static final int LARGE_DATAGRAM = 16 * 1024;
    private static final long NOREPLY_PAUSE_MILLIS = 20;

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted between datagrams");
        }
    }

    @Override
    public List<Late> finish() throws IOException {
        return late(connection.receive(-1, 0, LINGER_MILLIS).strays());
    }

    /** Strays with a payload; empty ones (memcached sends one for quit) carry no reply. */
    private List<Late> late(List<UdpConnection.Stray> strays) {
        List<Late> out = new ArrayList<>();
        for (UdpConnection.Stray s : strays) {
            if (s.payload().length > 0) {
                out.add(new Late(sent.getOrDefault(s.requestId(), -1L), s.payload()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        connection.close();
    }
}
