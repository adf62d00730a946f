package dev.ffkx.memcached.diff;

import dev.ffkx.runtime.diff.Text;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The request bytes of one step of a run: usually one command, sometimes a few that must travel
 * together (a malformed {@code set} and the data line the server then reads as a command).
 *
 * <p>A {@code cas} cannot be written down in advance: its unique comes from an earlier
 * {@code gets} reply, and each server numbers its items its own way. So a command may leave a
 * hole for a cas unique, filled per server from what that server answered to the command that
 * {@linkplain #captureId() captured} it.
 */
public final class Command {
    /** The text put in the hole when the capture found no value (missed, or no such capture). */
    static final String NO_CAS = "0";

    private final byte[] bytes;
    private final int casAt;
    private final int casFrom;
    private final int captureId;
    private final byte[] captureKey;

    private Command(byte[] bytes, int casAt, int casFrom, int captureId, byte[] captureKey) {
        this.bytes = bytes;
        this.casAt = casAt;
        this.casFrom = casFrom;
        this.captureId = captureId;
        this.captureKey = captureKey;
    }

    /** Exactly these bytes (ISO-8859-1, so any byte can be written as a char). */
    public static Command of(String bytes) {
        return new Command(RequestModel.ascii(bytes), -1, -1, -1, null);
    }

    /** Exactly these bytes. */
    public static Command of(byte[] bytes) {
        return new Command(bytes.clone(), -1, -1, -1, null);
    }

    /** Bytes with the cas unique captured as {@code captureId} inserted at {@code at}. */
    static Command withCas(byte[] bytes, int at, int captureId) {
        return new Command(bytes, at, captureId, -1, null);
    }

    /** These bytes, whose reply's cas unique for {@code key} is kept as {@code captureId}. */
    static Command capturing(byte[] bytes, int captureId, byte[] key) {
        return new Command(bytes, -1, -1, captureId, key.clone());
    }

    /** The bytes to send, with the cas hole filled from this server's captures. */
    byte[] render(IntFunction<String> captured) {
        if (casAt < 0) {
            return bytes;
        }
        String cas = captured.apply(casFrom);
        byte[] text = RequestModel.ascii(cas == null ? NO_CAS : cas);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + text.length);
        out.write(bytes, 0, casAt);
        out.write(text, 0, text.length);
        out.write(bytes, casAt, bytes.length - casAt);
        return out.toByteArray();
    }

    /** The capture a cas hole reads, or -1. */
    int casFrom() {
        return casFrom;
    }

    /** The capture this command's reply feeds, or -1. */
    int captureId() {
        return captureId;
    }

    byte[] captureKey() {
        return captureKey;
    }

    /** The request as readable text, cut short, with the cas hole shown. */
    @Override
    public String toString() {
        if (casAt < 0) {
            return Text.show(bytes);
        }
        return Text.show(Arrays.copyOf(bytes, casAt)) + "<cas#" + casFrom + ">"
                + Text.show(Arrays.copyOfRange(bytes, casAt, bytes.length));
    }
}
