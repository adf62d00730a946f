package dev.ffkx.runtime.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ffkx.runtime.BpfObject;
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

@ExtendWith(NoLeftovers.class)
class AllocatorTest {
    static final int OP_ALLOC = 1, OP_FREE = 2, OP_ZALLOC = 3;
    static final int R_OK = 0, R_NULL = 1, R_STAMP = 2, R_DIRTY = 3, R_CANCELED = 4;
    static final int RECORD = 24;
    static final int BATCH = 2000;
    static final long HEAP = 8L << 20;

    /** The allocator driven from Java: what test_alloc.bpf.c does with records. */
    static final class Driver implements AutoCloseable {
        final BpfObject obj;
        final ExtensionHeap heap;
        final OpBatch batch;

        Driver(long heapBytes) {
            obj = BpfObject.openResource("/bpf/test_alloc.bpf.o");
            try {
                ManagedHeap.configure(obj, heapBytes);
                obj.load();
                heap = ManagedHeap.initialize(obj);
                batch = new OpBatch(obj, heap, "alloc_batch", RECORD, BATCH);
            } catch (RuntimeException e) {
                obj.close();
                throw e;
            }
        }

        /** Runs (op, size, addr) triples; returns each op's (result, addr). */
        long[][] run(List<long[]> ops) {
            byte[] rec = new byte[ops.size() * RECORD];
            for (int i = 0; i < ops.size(); i++) {
                long[] op = ops.get(i);
                LittleEndian.putInt(rec, i * RECORD, (int) op[0]);
                LittleEndian.putLong(rec, i * RECORD + 8, op[1]);
                LittleEndian.putLong(rec, i * RECORD + 16, op[2]);
            }
            byte[] out = batch.run(rec, ops.size());
            long[][] res = new long[ops.size()][];
            for (int i = 0; i < ops.size(); i++) {
                res[i] = new long[] {LittleEndian.getInt(out, i * RECORD + 4), LittleEndian.getLong(out, i * RECORD + 16)};
            }
            return res;
        }

        long alloc(long size) {
            return run(List.of(new long[] {OP_ALLOC, size, 0}))[0][1];
        }

        void free(long addr, long size) {
            long[] r = run(List.of(new long[] {OP_FREE, size, addr}))[0];
            assertEquals(R_OK, r[0], "stamps of the object at 0x" + Long.toHexString(addr));
        }

        @Override
        public void close() {
            batch.close();
            obj.close();
        }
    }

    @Test
    void randomOperationsMatchAModelAndFillTheHeap() {
        Random rnd = new Random(42);
        try (Driver d = new Driver(HEAP)) {
            long dataStart = d.heap.base() + HeapLayout.DESCRIPTORS + (HEAP / HeapLayout.PAGE) * HeapLayout.DESC_SIZE;
            TreeMap<Long, Long> live = new TreeMap<>();
            long[] nulls = new long[HeapLayout.NR_CLASSES];
            long runNulls = 0;
            boolean allocatedAfterFull = false;
            int batches = 50;
            for (int b = 0; b < batches; b++) {
                double allocShare = b < 20 ? 0.75 : b < 35 ? 0.3 : 0.6;
                List<long[]> ops = new ArrayList<>(BATCH);
                List<Long> candidates = new ArrayList<>(live.keySet());
                for (int i = 0; i < BATCH; i++) {
                    if (candidates.isEmpty() || rnd.nextDouble() < allocShare) {
                        ops.add(new long[] {OP_ALLOC, randomSize(rnd), 0});
                    } else {
                        long addr = candidates.remove(rnd.nextInt(candidates.size()));
                        ops.add(new long[] {OP_FREE, live.remove(addr), addr});
                    }
                }
                long[][] res = d.run(ops);
                for (int i = 0; i < BATCH; i++) {
                    long[] op = ops.get(i);
                    if (op[0] == OP_FREE) {
                        assertEquals(R_OK, res[i][0], "object at 0x" + Long.toHexString(op[2]) + " was written by someone else");
                        continue;
                    }
                    long size = op[1], addr = res[i][1];
                    if (res[i][0] == R_NULL) {
                        assertEquals(0, addr);
                        if (size <= 4096) {
                            nulls[HeapLayout.classOf(size)]++;
                        } else {
                            runNulls++;
                        }
                        continue;
                    }
                    if (runNulls + sum(nulls) > 0) {
                        allocatedAfterFull = true;
                    }
                    assertTrue(addr >= dataStart && d.heap.contains(addr, size),
                            "0x" + Long.toHexString(addr) + " is in the data pages of the heap");
                    assertEquals(0, addr % 8, "alignment of 0x" + Long.toHexString(addr));
                    Map.Entry<Long, Long> below = live.floorEntry(addr);
                    Map.Entry<Long, Long> above = live.ceilingEntry(addr);
                    if (below != null && below.getKey() + below.getValue() > addr) {
                        fail("0x" + Long.toHexString(addr) + " overlaps the live object at 0x" + Long.toHexString(below.getKey()));
                    }
                    if (above != null && addr + size > above.getKey()) {
                        fail("0x" + Long.toHexString(addr) + "+" + size + " overlaps the live object at 0x" + Long.toHexString(above.getKey()));
                    }
                    live.put(addr, size);
                }
                assertMatches(AllocatorStats.read(d.heap), live, nulls, runNulls);
            }
            assertTrue(sum(nulls) + runNulls > 0, "the heap filled up at some point");
            assertTrue(allocatedAfterFull, "allocations succeeded again after frees");
        }
    }

    /** Every class's in-use count equals the model's; free + in use is what its pages hold. */
    private static void assertMatches(AllocatorStats stats, TreeMap<Long, Long> live, long[] nulls, long runNulls) {
        long[] inUse = new long[HeapLayout.NR_CLASSES];
        long runs = 1; // the operation buffer
        for (long size : live.values()) {
            if (size <= 4096) {
                inUse[HeapLayout.classOf(size)]++;
            } else {
                runs++;
            }
        }
        for (int c = 0; c < HeapLayout.NR_CLASSES; c++) {
            AllocatorStats.SizeClass sc = stats.classes().get(c);
            assertEquals(inUse[c], sc.inUse(), "objects in use of class " + sc.size());
            assertEquals(sc.pages() * (HeapLayout.PAGE / sc.size()), sc.inUse() + sc.free(), "slots of class " + sc.size());
            assertEquals(nulls[c], sc.failures(), "failures of class " + sc.size());
        }
        assertEquals(runs, stats.runsInUse(), "runs in use");
        assertEquals(runNulls, stats.runFailures(), "run failures");
        assertEquals(0, stats.doubleFrees() + stats.badPointers() + stats.zeroSizes() + stats.tooLarge() + stats.cancelled(),
                "bad-input and cancellation counters");
    }

    private static long randomSize(Random rnd) {
        int p = rnd.nextInt(100);
        if (p < 5) {
            return 4097 + rnd.nextInt(60 * 1024);
        }
        int shift = 4 + rnd.nextInt(9); // 16 .. 4096
        return Math.max(1, Math.min(4096, (1L << shift) - rnd.nextInt(1 << (shift - 1))));
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    @Test
    void badInputIsCountedAndLeavesTheHeapIntact() {
        try (Driver d = new Driver(HEAP)) {
            assertEquals(0, d.alloc(0));
            assertEquals(0, d.alloc(1L << 33));
            long small = d.alloc(64);
            long large = d.alloc(3 * 4096);
            long keep = d.alloc(100);
            assertNotEquals(0, small);
            assertNotEquals(0, large);
            d.free(small, 64);
            d.free(small, 0);
            d.free(large, 3 * 4096);
            d.free(large, 0);
            d.free(keep + 8, 0);                          // inside an object
            d.free(keep + 1, 0);                          // misaligned
            d.free(d.heap.base() + HeapLayout.HEADER, 0); // the header
            d.free(keep + (1L << 32), 0);                 // another heap's address space
            d.free(d.heap.base() + HEAP + 4096, 0);       // past the heap's pages
            d.free(large + 4096, 0);                      // inside a run

            AllocatorStats stats = AllocatorStats.read(d.heap);
            assertEquals(1, stats.zeroSizes());
            assertEquals(1, stats.tooLarge());
            assertEquals(2, stats.doubleFrees());
            assertEquals(6, stats.badPointers());
            assertEquals(1, stats.objectsInUse(), "only `keep` is in use");
            assertEquals(1, stats.classFor(100).inUse());
            assertEquals(1, stats.runsInUse(), "only the operation buffer is a run in use");

            // The heap still works: the freed objects come back, exactly once each.
            List<long[]> ops = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                ops.add(new long[] {OP_ALLOC, 64, 0});
            }
            long[][] res = d.run(ops);
            assertEquals(500, java.util.Arrays.stream(res).mapToLong(r -> r[1]).distinct().filter(a -> a != 0).count());
            assertTrue(java.util.Arrays.stream(res).anyMatch(r -> r[1] == small), "the freed slot is reused");
            assertEquals(501, AllocatorStats.read(d.heap).objectsInUse());
            assertEquals(large, d.alloc(3 * 4096), "the freed run is reused");
        }
    }

    @Test
    void zallocClearsReusedMemoryAndRefusesCleanly() {
        try (Driver d = new Driver(HEAP)) {
            for (long size : new long[] {24, 100, 4096, 3 * 4096 + 8}) {
                // slots and runs written all over (stamped at both ends, then freed) come back zeroed
                List<long[]> ops = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    ops.add(new long[] {OP_ALLOC, size, 0});
                }
                long[][] dirty = d.run(ops);
                ops.clear();
                for (long[] r : dirty) {
                    assertEquals(R_OK, r[0]);
                    ops.add(new long[] {OP_FREE, size, r[1]});
                }
                d.run(ops);
                ops.clear();
                for (int i = 0; i < 200; i++) {
                    ops.add(new long[] {OP_ZALLOC, size, 0});
                }
                long[][] clean = d.run(ops);
                for (long[] r : clean) {
                    assertEquals(R_OK, r[0], size + "-byte ffkx_zalloc");
                }
                assertTrue(java.util.Arrays.stream(clean).anyMatch(c -> java.util.Arrays.stream(dirty).anyMatch(r -> r[1] == c[1])),
                        "a written " + size + "-byte object was reused");
                ops.clear();
                for (long[] r : clean) {
                    ops.add(new long[] {OP_FREE, size, r[1]});
                }
                d.run(ops);
            }
            // 6.18's may_goto budget is timed (about a quarter second), so -ECANCELED needs a table
            // of gigabytes; what is checked here is the other refusal
            AllocatorStats before = AllocatorStats.read(d.heap);
            assertEquals(R_NULL, d.run(List.of(new long[] {OP_ZALLOC, 2 * HEAP, 0}))[0][0], "larger than the heap");
            assertEquals(before.runsInUse(), AllocatorStats.read(d.heap).runsInUse(), "nothing taken");
        }
    }

    @Test
    void allocFreePairCost() {
        try (Driver d = new Driver(HEAP); TestRun bench = d.obj.program("alloc_bench").testRun()) {
            for (long size : new long[] {16, 64, 1000, 4096, 8192}) {
                int pairs = size > 4096 ? 100_000 : 1_000_000;
                byte[] args = new byte[24];
                LittleEndian.putLong(args, 0, size);
                LittleEndian.putInt(args, 8, pairs);
                long best = Long.MAX_VALUE;
                for (int rep = 0; rep < 3; rep++) {
                    byte[] out = bench.context(args).run().context();
                    assertEquals(pairs, LittleEndian.getInt(out, 12), "pairs of " + size + " bytes");
                    best = Math.min(best, LittleEndian.getLong(out, 16));
                }
                double ns = (double) best / pairs;
                System.out.printf("ffkx_malloc+ffkx_free pair, %d bytes: %.1f ns%n", size, ns);
                assertTrue(ns < 500, size + "-byte pair took " + ns + " ns");
            }
        }
    }
}
