package dev.ffkx.runtime.heap;

import java.util.ArrayList;
import java.util.List;

/**
 * A hashmap of {@code ffkx/hashmap.h} read from Java: its buckets' lists walked through the mapped
 * heap. The map describes itself (key bound, value size, buckets), so any instance can be read.
 *
 * <p>A racy snapshot: Java takes none of the map's locks, so entries changed while it walks may be
 * seen old, new or not at all, and a walk that meets a node being reused gives up with an
 * {@link IllegalStateException} rather than loop. Read while no program writes, it is exact.
 */
public final class HashmapView {
    static final long MAGIC = 0x50414D4858464646L; // "FFFXHMAP"
    // struct ffkx_hashmap
    private static final int M_KEY_MAX = 8, M_VALUE_SIZE = 12, M_NR_BUCKETS = 16, M_BUCKETS = 24, M_BAD_KEYS = 32;
    // struct ffkx_list and struct ffkx_list_node
    private static final int L_SIZE = 16, L_COUNT = 4, L_HEAD = 8;
    private static final int N_NEXT = 0, N_KEY_LEN = 16, N_DATA = 24;

    /** A key (its own length) and its value. */
    public record Entry(byte[] key, byte[] value) {}

    private final ExtensionHeap heap;
    private final long address;
    private final int keyMax;
    private final int valueSize;
    private final int buckets;
    private final long bucketArray;

    private HashmapView(ExtensionHeap heap, long address) {
        this.heap = heap;
        this.address = address;
        if (heap.getLong(address) != MAGIC) {
            throw new IllegalArgumentException("no ffkx hashmap at 0x" + Long.toHexString(address));
        }
        this.keyMax = heap.getInt(address + M_KEY_MAX);
        this.valueSize = heap.getInt(address + M_VALUE_SIZE);
        this.buckets = heap.getInt(address + M_NR_BUCKETS);
        this.bucketArray = heap.getLong(address + M_BUCKETS);
    }

    /** The map whose struct ffkx_hashmap is at {@code address} (as published in a heap root, say). */
    public static HashmapView at(ExtensionHeap heap, long address) {
        return new HashmapView(heap, address);
    }

    public int keyMax() { return keyMax; }
    public int valueSize() { return valueSize; }
    public int buckets() { return buckets; }

    /** Keys the map refused: empty, or longer than its bound. */
    public long badKeys() {
        return heap.getLong(address + M_BAD_KEYS);
    }

    /** Entries, from the buckets' counts. */
    public long size() {
        long n = 0;
        for (int b = 0; b < buckets; b++) {
            n += Integer.toUnsignedLong(heap.getInt(bucketArray + (long) b * L_SIZE + L_COUNT));
        }
        return n;
    }

    /** Every entry, bucket by bucket. */
    public List<Entry> entries() {
        // More nodes than the heap can hold means the walk met a reused node and is going round.
        long limit = heap.size() / (N_DATA + keyMax + valueSize);
        List<Entry> out = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            for (long node = heap.getLong(bucketArray + (long) b * L_SIZE + L_HEAD); node != 0;
                    node = heap.getLong(node + N_NEXT)) {
                int len = heap.getInt(node + N_KEY_LEN);
                if (len <= 0 || len > keyMax || out.size() > limit) {
                    throw new IllegalStateException("hashmap at 0x" + Long.toHexString(address)
                            + " changed while read (bucket " + b + ", node 0x" + Long.toHexString(node) + ")");
                }
                out.add(new Entry(heap.read(node + N_DATA, len), heap.read(node + N_DATA + keyMax, valueSize)));
            }
        }
        return out;
    }
}
