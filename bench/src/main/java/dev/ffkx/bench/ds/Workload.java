package dev.ffkx.bench.ds;

import dev.ffkx.runtime.LittleEndian;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * KFlex's workload, generated once from a fixed seed: {@code elements} distinct 32-byte keys and
 * a stream of key indices drawn from a {@link Distribution}. Every implementation runs the same
 * stream, so their numbers differ only by the structure.
 */
final class Workload {
    /** Keys the BPF programs can hold (BENCH_MAX_KEYS in bench.h). */
    static final int MAX_KEYS = 1 << 17;
    /** Positions in the stream (BENCH_STREAM_LEN); batches wrap around it. */
    static final int STREAM_LEN = 1 << 17;
    static final long SEED = 0xF1F1_2024L;

    private final Key[] keys;
    private final int[] stream;

    private Workload(Key[] keys, int[] stream) {
        this.keys = keys;
        this.stream = stream;
    }

    static Workload generate(int elements, Distribution dist) {
        if (elements < 1 || elements > MAX_KEYS) {
            throw new IllegalArgumentException("elements must be 1.." + MAX_KEYS + ", not " + elements);
        }
        SplittableRandom rnd = new SplittableRandom(SEED);
        Key[] keys = new Key[elements];
        for (int i = 0; i < elements; i++) {
            keys[i] = new Key(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
        }
        int[] stream = new int[STREAM_LEN];
        if (dist == Distribution.UNIFORM) {
            Arrays.setAll(stream, i -> rnd.nextInt(elements));
        } else {
            zipf(stream, elements, rnd);
        }
        return new Workload(keys, stream);
    }

    /**
     * Zipf ranks by inversion of the exact CDF. Ranks map to keys through a random permutation:
     * otherwise the hottest keys would be the first inserted, which favours or hurts a list by
     * where they sit rather than by how it works.
     */
    private static void zipf(int[] stream, int n, SplittableRandom rnd) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, Distribution.ZIPF_EXPONENT);
            cdf[k] = sum;
        }
        int[] keyOfRank = new int[n];
        Arrays.setAll(keyOfRank, i -> i);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = keyOfRank[i];
            keyOfRank[i] = keyOfRank[j];
            keyOfRank[j] = t;
        }
        for (int i = 0; i < stream.length; i++) {
            int rank = Arrays.binarySearch(cdf, rnd.nextDouble() * sum);
            rank = rank >= 0 ? rank : Math.min(-rank - 1, n - 1);
            stream[i] = keyOfRank[rank];
        }
    }

    int elements() {
        return keys.length;
    }

    Key key(int i) {
        return keys[i];
    }

    /** The key of the operation at a stream position (positions wrap). */
    Key keyAt(int position) {
        return keys[stream[position & (STREAM_LEN - 1)]];
    }

    /** The keys as bench.h's struct bench_keyset lays them out. */
    byte[] keysetImage() {
        byte[] image = new byte[MAX_KEYS * 32];
        for (int i = 0; i < keys.length; i++) {
            LittleEndian.putLong(image, i * 32, keys[i].w0);
            LittleEndian.putLong(image, i * 32 + 8, keys[i].w1);
            LittleEndian.putLong(image, i * 32 + 16, keys[i].w2);
            LittleEndian.putLong(image, i * 32 + 24, keys[i].w3);
        }
        return image;
    }

    /** The stream as bench.h's struct bench_stream lays it out. */
    byte[] streamImage() {
        byte[] image = new byte[STREAM_LEN * 4];
        for (int i = 0; i < STREAM_LEN; i++) {
            LittleEndian.putInt(image, i * 4, stream[i]);
        }
        return image;
    }
}
