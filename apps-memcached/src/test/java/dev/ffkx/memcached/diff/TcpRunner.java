package dev.ffkx.memcached.diff;

import dev.ffkx.runtime.diff.TcpConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * Runs batches as pipelines on one TCP connection, reconnecting after a quit or a failure.
 *
 * <p>Each batch ends with a barrier, {@code set} then {@code get} of a key the generator never
 * uses, holding a token unique to the batch. Everything before the barrier's reply answers the
 * batch, however many replies that is: a server that answers a noreply command, or fails to
 * answer one, costs one batch, not the rest of the run.
 */
final class TcpRunner implements Runner {
    private static final String SYNC_KEY = "__mcdiff_sync";
    private static final long TIMEOUT_MILLIS = 10_000;

    private final ServerUnderTest server;
    private final Random rnd;
    private final String nonce;
    private final Captures captures = new Captures();
    private TcpConnection connection;
    private long barriers;

    TcpRunner(ServerUnderTest server, long seed, String nonce) {
        this.server = server;
        this.rnd = new Random(seed);
        this.nonce = nonce;
    }

    @Override
    public Answer run(List<Step> batch) throws IOException {
        try {
            return exchange(batch);
        } catch (IOException e) {
            if (connection != null) {
                disconnect();
            }
            return new Answer(List.of(), "I/O error: " + e, List.of(), List.of());
        }
    }

    private Answer exchange(List<Step> batch) throws IOException {
        if (connection == null) {
            connection = TcpConnection.open(server.host(), server.tcpPort());
        }
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        for (Step s : batch) {
            request.writeBytes(s.command().render(captures::get));
        }
        boolean closes = batch.get(batch.size() - 1).closes();
        String token = "b" + barriers++ + "." + nonce;
        if (!closes) {
            request.writeBytes(RequestModel.ascii("set " + SYNC_KEY + " 0 0 " + token.length() + "\r\n" + token
                    + "\r\nget " + SYNC_KEY + "\r\n"));
        }
        connection.send(request.toByteArray(), rnd);
        Answer answer = closes ? awaitClose() : awaitBarrier(RequestModel.ascii("STORED\r\nVALUE " + SYNC_KEY + " 0 "
                + token.length() + "\r\n" + token + "\r\nEND\r\n"));
        captures.record(batch, answer.replies());
        return answer;
    }

    private Answer awaitClose() throws IOException {
        TcpConnection.Outcome outcome = connection.await(n -> false, TIMEOUT_MILLIS);
        List<byte[]> replies = Runner.replies(connection.received(), 0, connection.receivedLength());
        disconnect();
        return new Answer(replies, outcome == TcpConnection.Outcome.EOF ? null
                : "did not close the connection after quit", List.of(), List.of());
    }

    private Answer awaitBarrier(byte[] barrier) throws IOException {
        int[] found = {-1};
        int[] searched = {0};
        TcpConnection.Outcome outcome = connection.await(length -> {
            int from = Math.max(0, searched[0] - barrier.length + 1);
            found[0] = indexOf(connection.received(), barrier, from, length);
            searched[0] = length;
            return found[0] >= 0;
        }, TIMEOUT_MILLIS);
        if (outcome == TcpConnection.Outcome.DONE) {
            List<byte[]> replies = Runner.replies(connection.received(), 0, found[0]);
            connection.consume(found[0] + barrier.length);
            return new Answer(replies, null, List.of(), List.of());
        }
        List<byte[]> replies = Runner.replies(connection.received(), 0, connection.receivedLength());
        disconnect();
        return new Answer(replies, outcome == TcpConnection.Outcome.EOF ? "closed the connection"
                : "no answer to the batch's barrier within " + TIMEOUT_MILLIS + " ms", List.of(), List.of());
    }

    private void disconnect() throws IOException {
        try {
            connection.close();
        } finally {
            connection = null;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle, int from, int to) {
        outer:
        for (int i = from; i + needle.length <= to; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public List<Late> finish() {
        return List.of();
    }

    @Override
    public void close() throws IOException {
        if (connection != null) {
            disconnect();
        }
    }
}
