package dev.ffkx.runtime.stream;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The slow path of one connection, for protocols that keep state between commands (a data block
 * being swallowed, say). Called on the server's single event thread, with the connection's passed
 * bytes in order, so replies come out in request order.
 */
public interface StreamSession {
    /**
     * Takes all of {@code in} (its position moves to its limit) and sends the replies of every
     * command it completes through {@code replies}, in order. Returns false when the connection
     * must be closed after those replies (quit).
     */
    boolean receive(ByteBuffer in, Consumer<byte[]> replies);

    /**
     * How many of the bytes received so far are finished with: their commands answered and
     * nothing of theirs held back. The kernel runs a connection's commands again only once every
     * byte passed up is finished with.
     */
    long finished();
}
