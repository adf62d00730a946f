package dev.ffkx.runtime.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

/**
 * The invariants of a quiescent skiplist.h list, checked from its bytes in the heap: level-0 links
 * and prev pointers agree, the tail and length are right, every level is a sublist of the one below
 * that only nodes tall enough join, and every span is the rank distance it claims (one past the last
 * node for a link that ends its level).
 */
final class SkiplistLayout {
    // struct ffkx_skiplist and struct ffkx_sl_node, as skiplist.h lays them out
    private static final int LENGTH = 0, TAIL = 8, LEVEL = 16, HEAD = 24;
    private static final int PREV = 0, HEIGHT = 16, LEVELS = 24, LEVEL_SIZE = 16, SPAN = 8;
    private static final int MAX_LEVEL = 32;

    private SkiplistLayout() {}

    static void assertInvariants(ExtensionHeap heap, long list) {
        long head = list + HEAD;
        long length = heap.getLong(list + LENGTH);
        int level = heap.getInt(list + LEVEL);
        assertTrue(level >= 1 && level <= MAX_LEVEL, "level " + level);

        Map<Long, Long> rank = new HashMap<>();
        rank.put(head, 0L);
        long prev = 0, n = next(heap, head, 0);
        for (long r = 1; n != 0; r++, n = next(heap, n, 0)) {
            assertEquals(prev, heap.getLong(n + PREV), "prev of rank " + r);
            assertTrue(rank.put(n, r) == null, "node of rank " + r + " seen before");
            prev = n;
        }
        assertEquals(length, rank.size() - 1, "length");
        assertEquals(prev, heap.getLong(list + TAIL), "tail");

        for (int i = 0; i < MAX_LEVEL; i++) {
            if (i >= level) {
                assertEquals(0, next(heap, head, i), "level " + i + " is above the list's " + level + " and empty");
                continue;
            }
            long x = head;
            long lastRank = 0;
            while (true) {
                long nx = next(heap, x, i);
                long span = Integer.toUnsignedLong(heap.getInt(x + LEVELS + (long) i * LEVEL_SIZE + SPAN));
                if (nx == 0) {
                    assertEquals(length + 1 - rank.get(x), span, "span of the level-" + i + " link that ends it");
                    break;
                }
                Long r = rank.get(nx);
                assertTrue(r != null && r > lastRank, "level " + i + " links only nodes of the list, in order");
                assertTrue(heap.getInt(nx + HEIGHT) > i, "a node on level " + i + " is that tall");
                assertEquals(r - rank.get(x), span, "span on level " + i + " from rank " + rank.get(x));
                lastRank = r;
                x = nx;
            }
            if (i == level - 1 && level > 1) {
                assertTrue(next(heap, head, i) != 0, "the top level in use is not empty");
            }
        }
    }

    private static long next(ExtensionHeap heap, long node, int i) {
        return heap.getLong(node + LEVELS + (long) i * LEVEL_SIZE);
    }
}
