package dev.ffkx.bench.ds;

/**
 * A 32-byte key as four 64-bit words. It orders as bench.h does and hashes as the library's
 * hash.h does, so the Java reference and the BPF programs agree on tree order and on sketch slots.
 */
final class Key implements Comparable<Key> {
    final long w0, w1, w2, w3;
    private final int hashCode;

    Key(long w0, long w1, long w2, long w3) {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
        long h = hash();
        this.hashCode = (int) (h ^ (h >>> 32));
    }

    /**
     * ffkx_hash_key() of hash.h for this 32-byte key. Computed on every call, not cached: the
     * sketches' Java reference must pay for hashing as the BPF programs do.
     */
    long hash() {
        long h = 0x9E3779B97F4A7C15L ^ 32;
        h = step(h, w0);
        h = step(h, w1);
        h = step(h, w2);
        h = step(h, w3);
        return mix(h);
    }

    private static long step(long h, long w) {
        h = (h ^ w) * 0x100000001b3L;
        return h ^ (h >>> 29);
    }

    /** ffkx_hash_mix() of hash.h. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
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
        return hashCode;
    }
}
