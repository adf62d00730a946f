package dev.ffkx.redis;

import dev.ffkx.runtime.stream.StreamSession;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** One connection's slow path: the bytes not yet a whole command, its client id and name. */
final class RedisSession implements StreamSession {
    private final RedisSlowPath slowPath;
    final long id;
    byte[] name;
    private boolean closeAfterReply;
    private byte[] buf = new byte[4096];
    private int end;
    private long finished;
    private RequestFramer.Frame framed;
    /** Consecutive commands framed as one, for one run of the kernel engine; null for one command. */
    private List<List<byte[]>> batch;
    private final ByteArrayOutputStream encoded = new ByteArrayOutputStream();

    RedisSession(RedisSlowPath slowPath) {
        this.slowPath = slowPath;
        this.id = slowPath.nextClientId();
    }

    /** Answers every whole command received so far, in order; false once the connection must close. */
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
            int len = frame(pending);
            if (len <= 0) {
                break;
            }
            replies.accept(answer());
            start += len;
            finished += len;
            if (closeAfterReply) {
                finished += end - start; // QUIT or a protocol error: the rest is never answered
                end = 0;
                return false;
            }
        }
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        return true;
    }

    @Override
    public long finished() {
        return finished;
    }

    /**
     * One command, or a run of commands the kernel engine runs, framed as one: up to what its
     * buffer takes, so a pipeline passed up costs one program run rather than one per command.
     */
    private int frame(ByteBuffer in) {
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

    private byte[] answer() {
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
}
