package dev.ffkx.runtime.heap;

import static dev.ffkx.runtime.heap.Structs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.TestRun;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftovers.class)
class HashmapTest {
    static final int BATCH = 2000;
    static final int XDP_PASS = 2, XDP_DROP = 1;

    static byte[][] keyPool(Random rnd, int n) {
        byte[][] pool = new byte[n][];
        for (int i = 0; i < n; i++) {
            pool[i] = new byte[1 + rnd.nextInt(KEY_MAX)];
            rnd.nextBytes(pool[i]);
        }
        return pool;
    }

    static byte[] value(Random rnd) {
        byte[] v = new byte[VALUE_SIZE];
        rnd.nextBytes(v);
        return v;
    }

    /** A random operation: lookups (many of absent keys), inserts, updates, duplicates, deletes. */
    static Op randomOp(Random rnd, byte[][] pool, double insertShare, int lookup, int update, int delete) {
        byte[] key = pool[rnd.nextInt(pool.length)];
        double p = rnd.nextDouble();
        if (p < insertShare) {
            return new Op(update, key, value(rnd), rnd.nextInt(4) == 0 ? NOEXIST : ANY);
        }
        p = rnd.nextDouble();
        if (p < 0.4) {
            return new Op(lookup, key, null, 0);
        } else if (p < 0.6) {
            return new Op(update, key, value(rnd), EXIST);
        } else if (p < 0.7) {
            return new Op(update, key, value(rnd), NOEXIST);
        }
        return new Op(delete, key, null, 0);
    }

    @Test
    void randomOperationsMatchJavaHashMapUntilTheHeapIsFull() {
        Random rnd = new Random(7);
        byte[][] pool = keyPool(rnd, 60_000);
        try (Structs s = new Structs(1L << 20, 256, BATCH); OpBatch batch = s.newBatch()) {
            Map<ByteBuffer, ByteBuffer> model = new HashMap<>();
            int refused = 0, insertedAfterFull = 0;
            for (int b = 0; b < 50; b++) {
                double inserts = b < 25 ? 0.8 : b < 38 ? 0.05 : 0.4;
                List<Op> ops = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    ops.add(randomOp(rnd, pool, inserts, OP_MAP_LOOKUP, OP_MAP_UPDATE, OP_MAP_DELETE));
                }
                Structs.run(batch, ops);
                for (Op o : ops) {
                    boolean sizeBefore = model.containsKey(ByteBuffer.wrap(o.key));
                    if (!Structs.check(o, model, "hashmap")) {
                        refused++;
                    } else if (refused > 0 && !sizeBefore && model.containsKey(ByteBuffer.wrap(o.key))) {
                        insertedAfterFull++;
                    }
                }
                if (b % 10 == 9) {
                    assertEquals(model, s.mapContents(), "map contents after batch " + b);
                }
                assertEquals(model.size(), HashmapView.at(s.heap, s.map).size(), "bucket counts after batch " + b);
            }
            assertEquals(model, s.mapContents());
            assertTrue(refused > 0, "the heap filled up");
            assertTrue(insertedAfterFull > 0, "inserts succeeded again after deletes");
            AllocatorStats stats = AllocatorStats.read(s.heap);
            assertEquals(model.size(), stats.classFor(NODE_SIZE).inUse(), "nodes in use");
            // Updates of present keys also try to allocate first (and go on without), so failures >= refusals.
            assertTrue(stats.classFor(NODE_SIZE).failures() >= refused, "refused inserts were counted as failed allocations");
            assertEquals(0, stats.doubleFrees() + stats.badPointers() + stats.cancelled());
        }
    }

    @Test
    void badKeysAreRefusedCountedAndHarmless() {
        Random rnd = new Random(3);
        try (Structs s = new Structs(4L << 20, 64, 64); OpBatch batch = s.newBatch()) {
            byte[] good = {1, 2, 3};
            List<Op> ops = new ArrayList<>(List.of(
                    new Op(OP_MAP_UPDATE, good, value(rnd), ANY),
                    new Op(OP_MAP_UPDATE, new byte[0], value(rnd), ANY),
                    new Op(OP_MAP_UPDATE, new byte[KEY_MAX + 1], value(rnd), ANY),
                    new Op(OP_MAP_LOOKUP, new byte[KEY_MAX + 1], null, 0),
                    new Op(OP_MAP_DELETE, new byte[0], null, 0),
                    new Op(OP_LIST_UPDATE, new byte[KEY_MAX + 1], value(rnd), ANY),
                    new Op(OP_MAP_LOOKUP, good, null, 0)));
            Structs.run(batch, ops);
            assertEquals(0, ops.get(0).result);
            assertEquals(EINVAL, ops.get(1).result, "empty key");
            assertEquals(E2BIG, ops.get(2).result, "oversized key");
            assertEquals(E2BIG, ops.get(3).result);
            assertEquals(EINVAL, ops.get(4).result);
            assertEquals(E2BIG, ops.get(5).result, "lists refuse them too");
            assertEquals(0, ops.get(6).result);
            assertEquals(4, HashmapView.at(s.heap, s.map).badKeys());
            assertEquals(Map.of(ByteBuffer.wrap(good), ByteBuffer.wrap(ops.get(0).value)), s.mapContents());
            assertEquals(1, AllocatorStats.read(s.heap).classFor(NODE_SIZE).inUse(), "only the good key's node");
        }
    }

    @Test
    void xdpProgramLooksUpAllocatesAndFrees() {
        try (Structs s = new Structs(4L << 20, 64, 64); OpBatch batch = s.newBatch();
             TestRun xdp = s.obj.program("xdp_lookup").testRun()) {
            byte[] key = new byte[KEY_MAX];
            new Random(5).nextBytes(key);
            Structs.run(batch, List.of(new Op(OP_MAP_UPDATE, key, new byte[VALUE_SIZE], ANY)));
            long before = AllocatorStats.read(s.heap).objectsInUse();

            byte[] frame = new byte[14 + KEY_MAX + 8];
            System.arraycopy(key, 0, frame, 14, KEY_MAX);
            assertEquals(XDP_PASS, xdp.data(frame).repeat(10_000).run().retval(), "a stored key is found");
            frame[14] ^= 1;
            assertEquals(XDP_DROP, xdp.data(frame).repeat(10_000).run().retval(), "an absent key is not");

            byte[] counts = s.obj.map("xdp_counts").lookup(0);
            assertEquals(10_000, LittleEndian.getLong(counts, 0), "found");
            assertEquals(10_000, LittleEndian.getLong(counts, 8), "missing");
            assertEquals(20_000, LittleEndian.getLong(counts, 16), "scratch objects allocated and freed");
            assertEquals(0, LittleEndian.getLong(counts, 24), "allocation failures");
            assertEquals(before, AllocatorStats.read(s.heap).objectsInUse(), "every scratch object was freed");
        }
    }

    @Test
    void lookupCostAgainstTheKernelHashMap() {
        int keys = 10_000, rounds = 100;
        try (Structs s = new Structs(16L << 20, 16384, 64)) {
            byte[] args = new byte[24];
            LittleEndian.putInt(args, 0, keys);
            LittleEndian.putInt(args, 4, rounds);
            try (TestRun fill = s.obj.program("bench_fill").testRun()) {
                assertEquals(0, fill.context(args).run().retval());
            }
            double heap = bestNsPerLookup(s, "bench_lookup_heap", args, keys, rounds);
            double kernel = bestNsPerLookup(s, "bench_lookup_baseline", args, keys, rounds);
            System.out.printf("lookup of a 16-byte key, 24-byte value, %d keys: heap hashmap %.1f ns, BPF_MAP_TYPE_HASH %.1f ns (ratio %.2f)%n",
                    keys, heap, kernel, heap / kernel);
            assertTrue(heap < 3 * kernel, "heap lookup " + heap + " ns against " + kernel + " ns");
        }
    }

    private static double bestNsPerLookup(Structs s, String program, byte[] args, int keys, int rounds) {
        double best = Double.MAX_VALUE;
        try (TestRun run = s.obj.program(program).testRun()) {
            for (int rep = 0; rep < 5; rep++) {
                byte[] out = run.context(args).run().context();
                assertEquals((long) keys * rounds, LittleEndian.getLong(out, 16), program + ": every key found with its value");
                best = Math.min(best, (double) LittleEndian.getLong(out, 8) / ((long) keys * rounds));
            }
        }
        return best;
    }
}
