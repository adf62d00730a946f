package dev.ffkx.redis;

import dev.ffkx.runtime.stream.StreamHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** One connection's slow path: its framing state, client id and name. */
final class RedisSession implements StreamHandler {
    private final RedisSlowPath slowPath;
    final long id;
    byte[] name;
    private boolean closeAfterReply;
    private RequestFramer.Frame framed;
    /** Consecutive commands framed as one, for one run of the kernel engine; null for one command. */
    private List<List<byte[]>> batch;
    private final ByteArrayOutputStream encoded = new ByteArrayOutputStream();

    RedisSession(RedisSlowPath slowPath) {
        this.slowPath = slowPath;
        this.id = slowPath.nextClientId();
    }

    /**
     * One command, or a run of commands the kernel engine runs, framed as one: up to what its
     * buffer takes, so a pipeline passed up costs one program run rather than one per command.
     */
    @Override
    public int frame(ByteBuffer in) {
        framed = slowPath.framer().frame(in);
        batch = null;
        if (framed == null) {
            return 0;
        }
        if (!kernelCommand(framed)) {
            return framed.length();
        }
        encoded.reset();
        encoded.writeBytes(Resp.command(framed.argv()));
        if (encoded.size() > RedisKernel.TEXT_BUF) {
            return framed.length();
        }
        batch = new ArrayList<>(List.of(framed.argv()));
        int end = in.position() + framed.length();
        while (end < in.limit()) {
            RequestFramer.Frame next = slowPath.framer().frame(in.duplicate().position(end));
            if (next == null || !kernelCommand(next)) {
                break;
            }
            byte[] bytes = Resp.command(next.argv());
            if (encoded.size() + bytes.length > RedisKernel.TEXT_BUF) {
                break;
            }
            encoded.writeBytes(bytes);
            batch.add(next.argv());
            end += next.length();
        }
        return end - in.position();
    }

    private boolean kernelCommand(RequestFramer.Frame f) {
        return f.error() == null && !f.argv().isEmpty() && slowPath.batchable(f.argv());
    }

    @Override
    public byte[] answer(ByteBuffer command) {
        try {
            if (batch != null) {
                List<List<byte[]>> b = batch;
                batch = null;
                return slowPath.executeBatch(this, b, encoded.toByteArray());
            }
            RequestFramer.Frame f = framed;
            framed = null;
            if (f.error() != null) {
                closeAfterReply = true;
                return Resp.error("ERR " + f.error());
            }
            if (f.argv().isEmpty()) {
                return Resp.NONE;
            }
            return slowPath.execute(this, f.argv());
        } catch (RuntimeException e) {
            // one failed command must not take down the server's event thread, and every connection with it
            return Resp.error("ERR ffkx: " + e.getMessage());
        }
    }

    /** The connection closes once the current reply is sent. */
    void quit() {
        closeAfterReply = true;
    }

    @Override
    public boolean closeAfterReply() {
        boolean close = closeAfterReply;
        closeAfterReply = false;
        return close;
    }

    @Override
    public StreamHandler forConnection() {
        return new RedisSession(slowPath);
    }
}
