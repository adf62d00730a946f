package dev.ffkx.redis.diff;

import dev.ffkx.runtime.diff.TcpConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Plays batches as pipelines on one TCP connection to one server, reconnecting after the server
 * closed it (QUIT, a protocol error) or after a failure.
 *
 * <p>Each batch ends with a barrier, {@code ECHO} of a token unique to the batch. Everything
 * before the echoed token answers the batch, however many replies that is, so a server that
 * answers a command twice, or not at all, costs one batch, not the rest of the run.
 */
final class TcpRunner implements AutoCloseable {
    private static final long TIMEOUT_MILLIS = 10_000;

    /**
     * A server's answer to a batch.
     *
     * @param replies the replies in order; bytes after the last whole reply count as one more
     * @param problem why the exchange ended early (timeout, closed connection, not RESP), or null
     */
    record Answer(List<byte[]> replies, String problem) {}

    private final ServerUnderTest server;
    private final Random rnd;
    private final String nonce;
    private TcpConnection connection;
    private long barriers;

    TcpRunner(ServerUnderTest server, long seed, String nonce) {
        this.server = server;
        this.rnd = new Random(seed);
        this.nonce = nonce;
    }

    Answer run(List<Command> batch) {
        try {
            return exchange(batch);
        } catch (IOException e) {
            // A server that closes the connection while we still write (after a protocol error)
            // has answered what came before: keep those replies.
            List<byte[]> replies = List.of();
            if (connection != null) {
                try {
                    connection.await(n -> false, 1000);
                } catch (IOException ignored) {
                    // What arrived before the failure is all there is.
                }
                replies = replies(connection.received(), connection.receivedLength());
            }
            disconnect();
            return new Answer(replies, "I/O error: " + e);
        }
    }

    private Answer exchange(List<Command> batch) throws IOException {
        if (connection == null) {
            connection = TcpConnection.open(server.host(), server.port());
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        for (Command c : batch) {
            request.writeBytes(c.bytes());
        }
        boolean closes = batch.get(batch.size() - 1).closes();
        byte[] token = Resp.ascii("rdiff-barrier." + barriers++ + "." + nonce);
        if (!closes) {
            request.writeBytes(Resp.command(Resp.ascii("ECHO"), token));
        }
        connection.send(request.toByteArray(), rnd);
        if (closes) {
            TcpConnection.Outcome outcome = connection.await(n -> false, TIMEOUT_MILLIS);
            Answer answer = new Answer(replies(connection.received(), connection.receivedLength()),
                    outcome == TcpConnection.Outcome.EOF ? null : "did not close the connection");
            disconnect();
            return answer;
        }
        byte[] barrier = Resp.ascii("$" + token.length + "\r\n" + new String(token, StandardCharsets.ISO_8859_1) + "\r\n");
        int[] found = {-1};
        int[] searched = {0};
        TcpConnection.Outcome outcome = connection.await(length -> {
            found[0] = indexOf(connection.received(), barrier, Math.max(0, searched[0] - barrier.length + 1), length);
            searched[0] = length;
            return found[0] >= 0;
        }, TIMEOUT_MILLIS);
        if (outcome == TcpConnection.Outcome.DONE) {
            List<byte[]> replies = replies(connection.received(), found[0]);
            connection.consume(found[0] + barrier.length);
            return new Answer(replies, null);
        }
        List<byte[]> replies = replies(connection.received(), connection.receivedLength());
        disconnect();
        return new Answer(replies, outcome == TcpConnection.Outcome.EOF ? "closed the connection"
                : "no answer to the batch's barrier within " + TIMEOUT_MILLIS + " ms");
    }

    private static int indexOf(byte[] hay, byte[] needle, int from, int to) {
        for (int i = from; i + needle.length <= to; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** Splits {@code buf[0..to)} into replies; what does not frame as RESP stays one piece. */
    static List<byte[]> replies(byte[] buf, int to) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at < to) {
            int end;
            try {
                end = Resp.end(buf, at, to);
            } catch (Resp.Malformed e) {
                end = -1;
            }
            if (end < 0) {
                end = to;
            }
            out.add(Arrays.copyOfRange(buf, at, end));
            at = end;
        }
        return out;
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // Closing a socket we are done with; nothing to recover.
            } finally {
                connection = null;
            }
        }
    }

    @Override
    public void close() {
        disconnect();
    }
}
