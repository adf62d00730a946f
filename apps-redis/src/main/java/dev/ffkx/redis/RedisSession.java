package dev.ffkx.redis;

import dev.ffkx.runtime.stream.StreamHandler;
import java.nio.ByteBuffer;

/** One connection's slow path: its framing state, client id and name. */
final class RedisSession implements StreamHandler {
    private final RedisSlowPath slowPath;
    final long id;
    byte[] name;
    private boolean closeAfterReply;
    private RequestFramer.Frame framed;

    RedisSession(RedisSlowPath slowPath) {
        this.slowPath = slowPath;
        this.id = slowPath.nextClientId();
    }

    @Override
    public int frame(ByteBuffer in) {
        framed = slowPath.framer().frame(in);
        return framed == null ? 0 : framed.length();
    }

    @Override
    public byte[] answer(ByteBuffer command) {
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
