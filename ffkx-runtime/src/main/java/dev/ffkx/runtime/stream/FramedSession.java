package dev.ffkx.runtime.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/** A {@link StreamSession} made of a stateless {@link StreamHandler}: it keeps what is not yet a whole command. */
final class FramedSession implements StreamSession {
    private final StreamHandler handler;
    private byte[] buf = new byte[4096];
    private int end;
    private long finished;

    FramedSession(StreamHandler handler) {
        this.handler = handler;
    }

    @Override
    public boolean receive(ByteBuffer in, Consumer<byte[]> replies) {
        int n = in.remaining();
        if (buf.length - end < n) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + n));
        }
        in.get(buf, end, n);
        end += n;
        int start = 0;
        while (start < end) {
            ByteBuffer pending = ByteBuffer.wrap(buf, start, end - start).slice();
            int len = handler.frame(pending);
            if (len <= 0) {
                break;
            }
            replies.accept(handler.answer(pending.limit(len).slice()));
            start += len;
            finished += len;
        }
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        return true;
    }

    @Override
    public long finished() {
        return finished;
    }
}
