package dev.ffkx.runtime.heap;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;

/**
 * A skiplist of {@code bpf/include/ffkx/skiplist.h} read straight from the mapped heap, so Java can
 * list a sorted set without running a program.
 *
 * <p>Reads take no lock: BPF programs hold the list's lock while they change it, and Java cannot
 * take a BPF lock. So a read that races a writer is a snapshot of nothing in particular: it may miss
 * or repeat entries, see a key half written, or follow a node that was just freed. It never runs
 * away: every address is checked against the heap, and a walk stops after as many nodes as the heap
 * could hold. A read that finds the list torn throws {@link ConcurrentModificationException}; read
 * again, or stop the writers, for an exact answer.
 */
public final class SkiplistView {
    // struct ffkx_skiplist and struct ffkx_sl_node, pinned by static assertions in skiplist.h
    private static final int LIST_LENGTH = 0;
    private static final int LIST_LEVEL = 16;
    private static final int LIST_HEAD = 24;
    private static final int NODE_KEY_SIZE = 8;
    private static final int NODE_VALUE_SIZE = 12;
    private static final int NODE_HEIGHT = 16;
    private static final int NODE_LEVELS = 24;
    private static final int LEVEL_SIZE = 16;
    private static final int LEVEL_SPAN = 8;
    private static final int MAX_LEVEL = 32;
    private static final int MIN_NODE = NODE_LEVELS + LEVEL_SIZE;

    private final ExtensionHeap heap;
    private final long head;
    private final long address;

    private SkiplistView(ExtensionHeap heap, long address) {
        this.heap = heap;
        this.address = address;
        this.head = address + LIST_HEAD;
    }

    /** The list whose {@code struct ffkx_skiplist} is at heap address {@code address}. */
    public static SkiplistView at(ExtensionHeap heap, long address) {
        if (!heap.contains(address, LIST_HEAD + NODE_LEVELS + (long) MAX_LEVEL * LEVEL_SIZE)) {
            throw new IndexOutOfBoundsException("no skiplist fits at 0x" + Long.toHexString(address));
        }
        return new SkiplistView(heap, address);
    }

    /** An entry: copies of a node's key and value bytes. */
    public record Entry(byte[] key, byte[] value) {}

    /** Number of entries, as the list last recorded it. */
    public long size() {
        return heap.getLong(address + LIST_LENGTH);
    }

    /** Every entry in order. */
    public List<Entry> entries() {
        return range(0, Integer.MAX_VALUE);
    }

    /**
     * Up to {@code count} entries in order from 0-based rank {@code start}; the spans take the walk
     * to {@code start} in O(log n) steps rather than {@code start}.
     */
    public List<Entry> range(long start, int count) {
        if (start < 0 || count < 0) {
            throw new IllegalArgumentException("range from " + start + " of " + count);
        }
        List<Entry> out = new ArrayList<>();
        try {
            long budget = heap.size() / MIN_NODE;
            for (long n = seek(start); n != 0 && out.size() < count; n = next(n, 0)) {
                if (--budget < 0) {
                    throw torn("has a cycle");
                }
                out.add(entry(n));
            }
        } catch (IndexOutOfBoundsException e) {
            throw torn("points outside the heap: " + e.getMessage());
        }
        return out;
    }

    /** The node at 0-based rank {@code rank}, or 0 past the end. */
    private long seek(long rank) {
        long want = rank + 1;
        long x = head;
        long r = 0;
        int levels = heap.getInt(address + LIST_LEVEL);
        if (levels < 1 || levels > MAX_LEVEL) {
            throw torn("claims " + levels + " levels");
        }
        long budget = heap.size() / MIN_NODE;
        for (int i = levels - 1; i >= 0; i--) {
            for (long next = next(x, i); next != 0; next = next(x, i)) {
                long span = Integer.toUnsignedLong(heap.getInt(level(x, i) + LEVEL_SPAN));
                if (r + span > want) {
                    break;
                }
                if (--budget < 0) {
                    throw torn("has a cycle");
                }
                r += span;
                x = next;
            }
            if (r == want) {
                return x;
            }
        }
        return 0;
    }

    private long level(long node, int i) {
        return node + NODE_LEVELS + (long) i * LEVEL_SIZE;
    }

    private long next(long node, int i) {
        return heap.getLong(level(node, i));
    }

    private Entry entry(long node) {
        int height = heap.getInt(node + NODE_HEIGHT);
        int keySize = heap.getInt(node + NODE_KEY_SIZE);
        int valueSize = heap.getInt(node + NODE_VALUE_SIZE);
        if (height < 1 || height > MAX_LEVEL || keySize < 0 || valueSize < 0) {
            throw torn("has a node at 0x" + Long.toHexString(node) + " of height " + height + ", key "
                    + keySize + " and value " + valueSize + " bytes");
        }
        long key = level(node, height);
        long value = key + ((keySize + 7L) & ~7L);
        return new Entry(heap.read(key, keySize), heap.read(value, valueSize));
    }

    private ConcurrentModificationException torn(String what) {
        return new ConcurrentModificationException("skiplist at 0x" + Long.toHexString(address) + " " + what
                + " (a program changed it during the read?)");
    }
}
