package dev.ffkx.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Values written by SETs. Under {@code --verify} a value starts with its version and a colon, and
 * the rest is a filler drawn from (run, key, version), so a GET's answer names the SET it came
 * from, and a corrupted value or one left by an earlier run shows. Otherwise every value is the
 * same filler.
 */
final class Values {
    /** Room for a 10-digit version, its colon and one filler byte. */
    static final int MIN_VERIFIED_SIZE = 12;

    private Values() {}

    /** The fixed value of unverified runs. */
    static byte[] plain(int size) {
        byte[] v = new byte[size];
        java.util.Arrays.fill(v, (byte) 'x');
        return v;
    }

    /** The value of version {@code version} of key {@code key} in the run salted {@code run}. */
    static byte[] versioned(long run, long key, long version, int size) {
        byte[] head = (version + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] v = new byte[size];
        System.arraycopy(head, 0, v, 0, head.length);
        long seed = mix(run ^ mix(key * 0x9E3779B97F4A7C15L + version));
        for (int i = head.length; i < size; i++) {
            v[i] = (byte) ('a' + Long.remainderUnsigned(seed + i, 26));
        }
        return v;
    }

    /**
     * The version a stored value names, if all of it is exactly what {@link #versioned} wrote for
     * that run, key and version; -1 for anything else.
     */
    static long versionOf(long run, long key, ByteBuf buf, int index, int length, int size) {
        if (length != size) {
            return -1;
        }
        long version = 0;
        int i = 0;
        while (i < length && i < 11) {
            byte b = buf.getByte(index + i);
            if (b == ':') {
                break;
            }
            if (b < '0' || b > '9') {
                return -1;
            }
            version = version * 10 + (b - '0');
            i++;
        }
        if (i == 0 || i == length || buf.getByte(index + i) != ':') {
            return -1;
        }
        byte[] expected = versioned(run, key, version, size);
        for (int j = i + 1; j < length; j++) {
            if (buf.getByte(index + j) != expected[j]) {
                return -1;
            }
        }
        return version;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
