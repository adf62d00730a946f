package dev.ffkx.runtime.heap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Sorted-set keys as {@code bpf/include/ffkx/score.h} lays them out in the heap: the score's IEEE-754
 * bits (8 bytes, little endian), then the member bytes. Java builds probes and reads keys with this
 * class, and {@link #ORDER} sorts keys exactly as {@code ffkx_zset_cmp} does.
 */
public final class ZsetKey {
    /** Bytes before the member. */
    public static final int SCORE_BYTES = 8;

    /**
     * Redis' order: by score with {@code <} and {@code ==} on doubles (so -0.0 equals 0.0), then by
     * member bytes compared unsigned, the shorter first. Written with double comparisons rather than
     * the bit trick of score.h on purpose: a differential test then checks one against the other.
     * Keys must not hold NaN, which Redis never stores either.
     */
    public static final Comparator<byte[]> ORDER = ZsetKey::compare;

    private ZsetKey() {}

    /** A key for {@code member} at {@code score}; NaN is refused. */
    public static byte[] of(double score, byte[] member) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("a sorted-set score is never NaN");
        }
        return ByteBuffer.allocate(SCORE_BYTES + member.length).order(ByteOrder.LITTLE_ENDIAN)
                .putDouble(score).put(member).array();
    }

    public static double score(byte[] key) {
        return ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).getDouble(0);
    }

    public static byte[] member(byte[] key) {
        return Arrays.copyOfRange(key, SCORE_BYTES, key.length);
    }

    private static int compare(byte[] a, byte[] b) {
        double x = score(a);
        double y = score(b);
        if (x < y) {
            return -1;
        }
        if (x > y) {
            return 1;
        }
        return Arrays.compareUnsigned(a, SCORE_BYTES, a.length, b, SCORE_BYTES, b.length);
    }
}
