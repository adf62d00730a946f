package dev.ffkx.runtime.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The invariants of a quiescent rbtree.h tree of u64 keys and values, checked from its bytes in the
 * heap: in-order contents equal a (sorted) reference map, parent links match child links, the root is
 * black, no red node has a red child, every path has as many black nodes, and the tree's count and
 * leftmost node are right.
 */
final class RbtreeLayout {
    // struct ffkx_rbtree and struct ffkx_rb_node, as rbtree.h lays them out
    private static final int ROOT = 0, FIRST = 8, COUNT = 16;
    private static final int LEFT = 0, RIGHT = 8, PARENT_COLOR = 16, KEY = 32, VALUE = 40;

    private RbtreeLayout() {}

    static void assertInvariants(ExtensionHeap heap, long tree, TreeMap<Long, Long> ref) {
        long root = heap.getLong(tree + ROOT);
        List<long[]> inOrder = new ArrayList<>();
        if (root != 0) {
            assertEquals(0, parent(heap, root), "the root has no parent");
            assertFalse(red(heap, root), "the root is black");
            blackHeight(heap, root, inOrder);
        }
        assertEquals(ref.size(), heap.getLong(tree + COUNT), "count");
        assertEquals(ref.size(), inOrder.size(), "nodes in the tree");
        int i = 0;
        for (Map.Entry<Long, Long> e : ref.entrySet()) {
            long[] got = inOrder.get(i++);
            assertEquals((long) e.getKey(), got[1], "key " + i + " in order");
            assertEquals((long) e.getValue(), got[2], "value " + i);
        }
        assertEquals(inOrder.isEmpty() ? 0 : inOrder.get(0)[0], heap.getLong(tree + FIRST), "first");
    }

    /** Black height of n's subtree, appending (node, key, value) in order. */
    private static int blackHeight(ExtensionHeap heap, long n, List<long[]> out) {
        if (n == 0) {
            return 1;
        }
        long l = heap.getLong(n + LEFT), r = heap.getLong(n + RIGHT);
        for (long c : new long[] {l, r}) {
            if (c != 0) {
                assertEquals(n, parent(heap, c), "parent link of a child");
                assertFalse(red(heap, n) && red(heap, c), "a red node has no red child");
            }
        }
        int lh = blackHeight(heap, l, out);
        out.add(new long[] {n, heap.getLong(n + KEY), heap.getLong(n + VALUE)});
        int rh = blackHeight(heap, r, out);
        assertEquals(lh, rh, "black heights under the node of key " + Long.toUnsignedString(heap.getLong(n + KEY)));
        return lh + (red(heap, n) ? 0 : 1);
    }

    private static long parent(ExtensionHeap heap, long n) {
        return heap.getLong(n + PARENT_COLOR) & ~1L;
    }

    private static boolean red(ExtensionHeap heap, long n) {
        return (heap.getLong(n + PARENT_COLOR) & 1) == 0;
    }
}
