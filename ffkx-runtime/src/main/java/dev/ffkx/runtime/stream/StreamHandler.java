package dev.ffkx.runtime.stream;

import java.nio.ByteBuffer;

/**
 * The slow path of a protocol: the commands the kernel passed up. Called on the server's single
 * event thread, one connection's commands in order, so replies come out in request order.
 */
public interface StreamHandler {
    /**
     * The length of the complete command that starts at {@code in}'s position, or 0 when more
     * bytes are needed. Must not move {@code in}'s position.
     */
    int frame(ByteBuffer in);

    /** The reply to one command framed by {@link #frame}; {@code command} holds exactly its bytes. */
    byte[] answer(ByteBuffer command);
}
