package dev.ffkx.bench.ds;

/**
 * A 32-byte key as four 64-bit words. It orders and hashes exactly as bench.h does, so the Java
 * reference and the BPF programs agree on tree order and on sketch slots.
 */
final class Key implements Comparable<Key> {
    final long w0, w1, w2, w3;
    private final long hash64;

    Key(long w0, long w1, long w2, long w3) {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
        this.hash64 = hash64(w0, w1, w2, w3);
    }

    /** bench_hash() of bench.h. */
    static long hash64(long... words) {
        long h = 0x9E3779B97F4A7C15L;
        for (long w : words) {
            h ^= w;
            h *= 0xFF51AFD7ED558CCDL;
            h ^= h >>> 32;
        }
        return h;
    }

    long hash64() {
        return hash64;
    }

    /** bench_value_of() of bench.h: the 64-byte value stored under this key. */
    long[] value() {
        return new long[] {w0, w1 ^ 1, w2 ^ 2, w3 ^ 3, w0 ^ 4, w1 ^ 5, w2 ^ 6, w3 ^ 7};
    }

    @Override
    public int compareTo(Key o) {
        int c = Long.compareUnsigned(w0, o.w0);
        if (c == 0) {
            c = Long.compareUnsigned(w1, o.w1);
        }
        if (c == 0) {
            c = Long.compareUnsigned(w2, o.w2);
        }
        return c != 0 ? c : Long.compareUnsigned(w3, o.w3);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && k.w0 == w0 && k.w1 == w1 && k.w2 == w2 && k.w3 == w3;
    }

    @Override
    public int hashCode() {
        return (int) (hash64 ^ (hash64 >>> 32));
    }
}
