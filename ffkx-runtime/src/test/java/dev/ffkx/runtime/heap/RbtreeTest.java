package dev.ffkx.runtime.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.TestRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * rbtree.h with u64 keys in numeric order (a custom comparator), driven by test_rbtree.bpf.c and
 * checked operation by operation against a TreeMap, and after every batch against the red-black
 * invariants read from the heap.
 */
@ExtendWith(NoLeftovers.class)
class RbtreeTest {
    static final int INSERT = 1, UPDATE = 2, REMOVE = 3, LOOKUP = 4, LOWER_BOUND = 5, FIRST = 6, LAST = 7,
            NEXT = 8, PREV = 9, WALK = 10, WALK_BACK = 11;
    static final int ENOENT = -2, ENOMEM = -12, EEXIST = -17, ECANCELED = -125;
    static final int RECORD = 56, CAPACITY = 2000;
    static final int XDP_DROP = 1, XDP_PASS = 2;

    /** One record of test_rbtree.bpf.c. */
    static final class Op {
        final int code;
        final long key, arg;
        long result, outKey, outValue, sum;

        Op(int code, long key, long arg) {
            this.code = code;
            this.key = key;
            this.arg = arg;
        }

        @Override
        public String toString() {
            return "op " + code + " key " + Long.toUnsignedString(key) + " arg " + arg + " -> " + result + " "
                    + Long.toUnsignedString(outKey) + "=" + outValue + " sum " + sum;
        }
    }

    static final class Driver implements AutoCloseable {
        final HeapFixture f;
        final long tree;

        Driver(long heapBytes) {
            f = new HeapFixture("/bpf/test_rbtree.bpf.o", heapBytes, "rb_setup", new byte[8], "rb_batch", RECORD,
                    CAPACITY);
            tree = LittleEndian.getLong(f.setupOut, 0);
        }

        void run(List<Op> ops) {
            for (int from = 0; from < ops.size(); from += CAPACITY) {
                List<Op> part = ops.subList(from, Math.min(ops.size(), from + CAPACITY));
                byte[] out = f.batch.run(encode(part), part.size());
                for (int i = 0; i < part.size(); i++) {
                    decode(part.get(i), out, i * RECORD);
                }
            }
        }

        @Override
        public void close() {
            f.close();
        }
    }

    static byte[] encode(List<Op> ops) {
        byte[] rec = new byte[ops.size() * RECORD];
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            LittleEndian.putInt(rec, i * RECORD, o.code);
            LittleEndian.putLong(rec, i * RECORD + 8, o.key);
            LittleEndian.putLong(rec, i * RECORD + 16, o.arg);
        }
        return rec;
    }

    static void decode(Op o, byte[] out, int at) {
        o.result = LittleEndian.getLong(out, at + 24);
        o.outKey = LittleEndian.getLong(out, at + 32);
        o.outValue = LittleEndian.getLong(out, at + 40);
        o.sum = LittleEndian.getLong(out, at + 48);
    }

    @Test
    void randomOperationsMatchTreeMap() {
        Random rnd = new Random(2024);
        try (Driver d = new Driver(32L << 20)) {
            TreeMap<Long, Long> ref = new TreeMap<>(Long::compareUnsigned);
            long id = 1;
            for (int total = 0; total < 100_000; total += CAPACITY) {
                List<Op> ops = new ArrayList<>();
                for (int i = 0; i < CAPACITY; i++) {
                    int p = rnd.nextInt(100);
                    int code = p < 35 ? INSERT : p < 50 ? REMOVE : p < 55 ? UPDATE : p < 68 ? LOOKUP
                            : p < 76 ? LOWER_BOUND : p < 79 ? FIRST : p < 82 ? LAST : p < 90 ? NEXT : p < 98 ? PREV
                            : p < 99 ? WALK : WALK_BACK;
                    ops.add(new Op(code, someKey(rnd, ref), id++));
                }
                d.run(ops);
                for (Op o : ops) {
                    check(o, ref, false);
                }
                RbtreeLayout.assertInvariants(d.f.heap, d.tree, ref);
            }
        }
    }

    @Test
    void fillingTheHeapFailsInsertsCleanlyAndFreeingMakesRoom() {
        Random rnd = new Random(5);
        try (Driver d = new Driver(1L << 20)) {
            TreeMap<Long, Long> ref = new TreeMap<>(Long::compareUnsigned);
            int full = 0;
            long id = 1;
            for (int round = 0; round < 40 && full < 200; round++) {
                List<Op> ops = new ArrayList<>();
                for (int i = 0; i < CAPACITY; i++) {
                    ops.add(new Op(INSERT, rnd.nextLong(), id++));
                }
                d.run(ops);
                for (Op o : ops) {
                    full += o.result == ENOMEM ? 1 : 0;
                    check(o, ref, true);
                }
            }
            assertTrue(full >= 200, "the heap filled up (" + ref.size() + " entries)");
            RbtreeLayout.assertInvariants(d.f.heap, d.tree, ref);

            List<Op> ops = new ArrayList<>();
            int i = 0;
            for (long k : ref.keySet()) {
                if (i++ % 2 == 0) {
                    ops.add(new Op(REMOVE, k, 0));
                }
            }
            int removed = ops.size();
            for (int j = 0; j < removed / 2; j++) {
                ops.add(new Op(INSERT, rnd.nextLong(), id++));
            }
            d.run(ops);
            for (Op o : ops) {
                if (o.code == INSERT) {
                    assertEquals(0, o.result, "an insert after frees: " + o);
                }
                check(o, ref, false);
            }
            RbtreeLayout.assertInvariants(d.f.heap, d.tree, ref);
        }
    }

    @Test
    void xdpInsertsKeysStraightFromPackets() {
        try (Driver d = new Driver(8L << 20)) {
            TreeMap<Long, Long> ref = new TreeMap<>(Long::compareUnsigned);
            List<Op> ops = new ArrayList<>();
            for (long k = 0; k < 100; k += 2) {
                ops.add(new Op(INSERT, k, k));
            }
            d.run(ops);
            ops.forEach(o -> check(o, ref, false));
            byte[] frame = new byte[64];
            try (TestRun run = d.f.obj.program("xdp_rb_insert").testRun()) {
                for (long k : new long[] {41, 0xffffffffffffff00L, 1}) {
                    LittleEndian.putLong(frame, 0, k);
                    TestRun.Result r = run.data(frame).run();
                    assertEquals(XDP_PASS, r.retval(), "new key " + k);
                    Long before = ref.lowerKey(k);
                    assertEquals(before == null ? -1L : before, LittleEndian.getLong(r.data(), 8), "the key before " + k);
                    ref.put(k, ~k);
                    assertEquals(XDP_DROP, run.data(frame).run().retval(), "key " + k + " again");
                }
            }
            RbtreeLayout.assertInvariants(d.f.heap, d.tree, ref);
        }
    }

    @Test
    void aLoopThatRunsOutOfBudgetReportsCancellation() {
        try (Driver d = new Driver(8L << 20)) {
            List<Op> ops = new ArrayList<>();
            for (long k = 0; k < 64; k++) {
                ops.add(new Op(INSERT, k, k));
            }
            d.run(ops);
            // Tie the greatest node's right link back to itself: a search for a greater key never ends.
            long node = d.f.heap.getLong(d.tree);
            while (d.f.heap.getLong(node + 8) != 0) {
                node = d.f.heap.getLong(node + 8);
            }
            d.f.heap.putLong(node + 8, node);
            Op o = new Op(LOOKUP, 1000, 0);
            decode(o, d.f.runUnchecked(encode(List.of(o))), 0);
            assertEquals(ECANCELED, o.result, "a lookup caught in a cycle");
        }
    }

    /** Checks one operation against the reference and applies it there. */
    static void check(Op o, TreeMap<Long, Long> ref, boolean mayFillUp) {
        switch (o.code) {
            case INSERT -> {
                Long old = ref.get(o.key);
                if (mayFillUp && o.result == ENOMEM) {
                    // the node is allocated before the tree is searched, so even a duplicate fails
                    return;
                }
                assertEquals(old == null ? 0 : EEXIST, o.result, o.toString());
                if (old == null) {
                    ref.put(o.key, o.arg);
                } else {
                    assertEquals((long) old, o.outValue, "existing value: " + o);
                }
            }
            case UPDATE -> {
                Long old = ref.computeIfPresent(o.key, (k, v) -> o.arg);
                assertEquals(old == null ? ENOENT : 0, o.result, o.toString());
                if (old != null) {
                    assertEquals(o.arg, (long) old, o.toString());
                }
            }
            case REMOVE -> expectEntry(o, ref.containsKey(o.key) ? Map.entry(o.key, ref.remove(o.key)) : null);
            case LOOKUP -> {
                Long v = ref.get(o.key);
                assertEquals(v == null ? ENOENT : 0, o.result, o.toString());
                if (v != null) {
                    assertEquals((long) v, o.outValue, o.toString());
                }
            }
            case LOWER_BOUND -> expectEntry(o, ref.ceilingEntry(o.key));
            case FIRST -> expectEntry(o, ref.firstEntry());
            case LAST -> expectEntry(o, ref.lastEntry());
            case NEXT -> expectEntry(o, ref.containsKey(o.key) ? ref.higherEntry(o.key) : null);
            case PREV -> expectEntry(o, ref.containsKey(o.key) ? ref.lowerEntry(o.key) : null);
            case WALK -> {
                assertEquals(ref.size(), o.result, o.toString());
                assertEquals(fold(ref.keySet()), o.sum, "keys in order");
            }
            case WALK_BACK -> {
                assertEquals(ref.size(), o.result, o.toString());
                assertEquals(fold(ref.descendingKeySet()), o.sum, "keys in reverse order");
            }
            default -> throw new IllegalArgumentException(o.toString());
        }
    }

    private static void expectEntry(Op o, Map.Entry<Long, Long> e) {
        assertEquals(e == null ? ENOENT : 0, o.result, o.toString());
        if (e != null) {
            assertEquals((long) e.getKey(), o.outKey, "key of " + o);
            assertEquals((long) e.getValue(), o.outValue, "value of " + o);
        }
    }

    static long fold(Iterable<Long> keys) {
        long s = 0;
        for (long k : keys) {
            s = s * 31 + k;
        }
        return s;
    }

    /** Keys from a small range, so operations hit, plus some that order differently signed and unsigned. */
    static long someKey(Random rnd, TreeMap<Long, Long> ref) {
        int p = rnd.nextInt(10);
        if (p == 0) {
            return Long.MIN_VALUE + rnd.nextInt(100);
        }
        if (p == 1) {
            return -1 - rnd.nextInt(100);
        }
        if (p < 5 && !ref.isEmpty()) {
            Long k = ref.ceilingKey((long) rnd.nextInt(3000));
            return k == null ? ref.firstKey() : k;
        }
        return rnd.nextInt(3000);
    }
}
