package dev.ffkx.runtime.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.TestRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * sketch.h driven by test_sketch.bpf.c and checked against plain Java arrays doing the same math:
 * the estimates must match exactly, and so must every counter in the heap.
 */
@ExtendWith(NoLeftovers.class)
class SketchTest {
    static final int CMS_UPDATE = 1, CMS_ESTIMATE = 2, CS_UPDATE = 3, CS_ESTIMATE = 4;
    static final int E2BIG = -7;
    static final int RECORD = 72, KEY_MAX = 40, CAPACITY = 2000;
    static final int XDP_PASS = 2;

    /** The same math as sketch.h and hash.h, on arrays. */
    static final class Model {
        final int depth, width;
        final long seed;
        final long[] cms, cs;

        Model(int depth, int width, long seed) {
            this.depth = depth;
            this.width = width;
            this.seed = seed;
            cms = new long[depth * width];
            cs = new long[depth * width];
        }

        /** ffkx_hash_key of hash.h. */
        static long hashKey(byte[] key) {
            long h = 0x9E3779B97F4A7C15L ^ key.length;
            byte[] padded = Arrays.copyOf(key, (key.length + 7) / 8 * 8);
            for (int i = 0; i * 8 < key.length; i++) {
                h = (h ^ LittleEndian.getLong(padded, i * 8)) * 0x100000001b3L;
                h ^= h >>> 29;
            }
            return mix(h);
        }

        /** ffkx_hash_mix of hash.h. */
        static long mix(long h) {
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            return h ^ (h >>> 33);
        }

        /** The cell of row {@code row} for a key hash, with the row's sign in bit 63 of the remix. */
        long remix(long hash, int row) {
            return mix(hash + seed + row * 0x9E3779B97F4A7C15L);
        }

        int cell(long g, int row) {
            return row * width + (int) (((g & 0xffffffffL) * width) >>> 32);
        }

        void cmsUpdate(byte[] key, long count) {
            long h = hashKey(key);
            for (int r = 0; r < depth; r++) {
                cms[cell(remix(h, r), r)] += count;
            }
        }

        long cmsEstimate(byte[] key) {
            long h = hashKey(key), least = 0;
            for (int r = 0; r < depth; r++) {
                long v = cms[cell(remix(h, r), r)];
                if (r == 0 || Long.compareUnsigned(v, least) < 0) {
                    least = v;
                }
            }
            return least;
        }

        void csUpdate(byte[] key, long delta) {
            long h = hashKey(key);
            for (int r = 0; r < depth; r++) {
                long g = remix(h, r);
                cs[cell(g, r)] += (g < 0 ? -1 : 1) * delta;
            }
        }

        long csEstimate(byte[] key) {
            long h = hashKey(key);
            long[] v = new long[depth];
            for (int r = 0; r < depth; r++) {
                long g = remix(h, r);
                v[r] = cs[cell(g, r)] * (g < 0 ? -1 : 1);
            }
            Arrays.sort(v);
            return depth % 2 == 1 ? v[depth / 2] : (v[depth / 2 - 1] + v[depth / 2]) >> 1;
        }
    }

    /** test_sketch.bpf.c, loaded once: each test makes the sketches it works on ({@link #sketches}). */
    private static HeapFixture f;

    @BeforeAll
    static void load() {
        f = new HeapFixture("/bpf/test_sketch.bpf.o", 16L << 20, "sketch_setup", setupArgs(1, 1, 0), "sketch_batch",
                RECORD, CAPACITY);
    }

    @AfterAll
    static void unload() {
        f.close();
    }

    private static byte[] setupArgs(int depth, int width, long seed) {
        byte[] setup = new byte[32];
        LittleEndian.putInt(setup, 0, depth);
        LittleEndian.putInt(setup, 4, width);
        LittleEndian.putLong(setup, 8, seed);
        return setup;
    }

    /** A new count-min sketch and count sketch of this shape, which the programs use from now on. */
    private static long[] sketches(int depth, int width, long seed) {
        try (TestRun r = f.obj.program("sketch_setup").testRun()) {
            TestRun.Result res = r.context(setupArgs(depth, width, seed)).run();
            assertEquals(0, res.retval(), "sketch_setup");
            return new long[] {LittleEndian.getLong(res.context(), 16), LittleEndian.getLong(res.context(), 24)};
        }
    }

    @ParameterizedTest(name = "{0} x {1}, seed {2}")
    @CsvSource({"4, 512, 0", "5, 100, 12345", "1, 7, 1", "16, 64, -1"})
    void estimatesAndCountersMatchTheSameMathInJava(int depth, int width, long seed) {
        long[] addr = sketches(depth, width, seed);
        long cmsAddr = addr[0], csAddr = addr[1];
        Model m = new Model(depth, width, seed);
        Random rnd = new Random(depth * 31L + width);
        byte[][] keys = new byte[1500][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new byte[rnd.nextInt(KEY_MAX + 1)];
            rnd.nextBytes(keys[i]);
        }
        int ops = 0, nonZero = 0;
        while (ops < 30_000) {
            byte[] rec = new byte[CAPACITY * RECORD];
            int[] code = new int[CAPACITY];
            byte[][] key = new byte[CAPACITY][];
            long[] arg = new long[CAPACITY];
            for (int i = 0; i < CAPACITY; i++) {
                code[i] = 1 + rnd.nextInt(4);
                key[i] = keys[Math.min(keys.length - 1, (int) Math.abs(rnd.nextGaussian() * 300))];
                arg[i] = code[i] == CMS_UPDATE ? (rnd.nextInt(50) == 0 ? rnd.nextLong() : 1 + rnd.nextInt(10))
                        : code[i] == CS_UPDATE ? rnd.nextInt(21) - 10 : 0;
                int size = key[i].length;
                if (rnd.nextInt(500) == 0) {
                    size = KEY_MAX + 1 + rnd.nextInt(100); // too long: refused
                }
                LittleEndian.putInt(rec, i * RECORD, code[i]);
                LittleEndian.putInt(rec, i * RECORD + 4, size);
                LittleEndian.putLong(rec, i * RECORD + 8, arg[i]);
                System.arraycopy(key[i], 0, rec, i * RECORD + 32, key[i].length);
            }
            byte[] out = f.batch.run(rec, CAPACITY);
            for (int i = 0; i < CAPACITY; i++) {
                long result = LittleEndian.getLong(out, i * RECORD + 16);
                long got = LittleEndian.getLong(out, i * RECORD + 24);
                String what = "op " + code[i] + " on a " + key[i].length + "-byte key, batch op " + i;
                if (LittleEndian.getInt(rec, i * RECORD + 4) > KEY_MAX) {
                    assertEquals(E2BIG, result, what);
                    continue;
                }
                assertEquals(0, result, what);
                switch (code[i]) {
                    case CMS_UPDATE -> m.cmsUpdate(key[i], arg[i]);
                    case CS_UPDATE -> m.csUpdate(key[i], arg[i]);
                    case CMS_ESTIMATE -> assertEquals(m.cmsEstimate(key[i]), got, what);
                    default -> assertEquals(m.csEstimate(key[i]), got, what);
                }
                nonZero += got != 0 ? 1 : 0;
            }
            ops += CAPACITY;
            assertCounters(f.heap, cmsAddr, m.cms);
            assertCounters(f.heap, csAddr, m.cs);
        }
        assertTrue(nonZero > ops / 4, "estimates were mostly of counted keys (" + nonZero + ")");
    }

    @Test
    void xdpCountsKeysStraightFromPackets() {
        long cmsAddr = sketches(4, 512, 0)[0];
        try (TestRun run = f.obj.program("xdp_cms_count").testRun()) {
            Model m = new Model(4, 512, 0);
            byte[] frame = new byte[64];
            Random rnd = new Random(3);
            for (int i = 0; i < 200; i++) {
                LittleEndian.putLong(frame, 0, rnd.nextInt(20));
                LittleEndian.putLong(frame, 8, 77);
                byte[] key = Arrays.copyOf(frame, 16);
                TestRun.Result r = run.data(frame).run();
                assertEquals(XDP_PASS, r.retval());
                m.cmsUpdate(key, 1);
                assertEquals(m.cmsEstimate(key), LittleEndian.getLong(r.data(), 16), "estimate after packet " + i);
            }
            assertCounters(f.heap, cmsAddr, m.cms);
        }
    }

    /** The counters in the heap, after the 16-byte header (depth, width, seed), are the model's. */
    private static void assertCounters(ExtensionHeap heap, long sketch, long[] expected) {
        byte[] raw = heap.read(sketch + 16, expected.length * 8);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], LittleEndian.getLong(raw, i * 8), "counter " + i);
        }
    }
}
