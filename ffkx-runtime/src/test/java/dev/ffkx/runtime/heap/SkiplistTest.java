package dev.ffkx.runtime.heap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.Threads;
import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.TestRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * skiplist.h ordered as a Redis sorted set (score.h), driven by test_zset.bpf.c and checked
 * operation by operation against a ConcurrentSkipListMap with {@link ZsetKey#ORDER}, and after every
 * batch against its own invariants read from the heap.
 */
@ExtendWith(NoLeftovers.class)
class SkiplistTest {
    static final int INSERT = 1, UPDATE = 2, REMOVE = 3, LOOKUP = 4, RANK = 5, AT = 6, RANGE_RANK = 7,
            RANGE_KEY = 8, REVERSE = 9, CMP = 10, NEXT_UP = 11;
    static final int MIN_EXCL = 1, MAX_EXCL = 2, MIN_OPEN = 4, MAX_OPEN = 8;
    static final int ENOENT = -2, ENOMEM = -12, EEXIST = -17;
    static final int RECORD = 152, KEY_MAX = 48, CAPACITY = 2000;
    static final int XDP_DROP = 1, XDP_PASS = 2;

    /** Scores that order in surprising ways when compared as bits or with Double.compare. */
    static final double[] SPECIAL_SCORES = {
        Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1e300, -3.5, -1.0, -Double.MIN_NORMAL, -Double.MIN_VALUE,
        -0.0, 0.0, Double.MIN_VALUE, 2 * Double.MIN_VALUE, Double.MIN_NORMAL, 1.0, 1.0000000000000002, 3.5,
        1e300, Double.MAX_VALUE, Double.POSITIVE_INFINITY,
    };
    static final byte[][] SPECIAL_MEMBERS = {
        {}, {0}, {0, 0}, {'a'}, {'a', 0}, {'a', 'b'}, {'b'}, {(byte) 0x7f}, {(byte) 0x80}, {(byte) 0xff},
        {(byte) 0xff, (byte) 0xff}, "a-much-longer-member-than-a-word".getBytes(),
        "a-much-longer-member-than-a-wore".getBytes(),
    };

    /** One record of test_zset.bpf.c: inputs, and after a run what came back. */
    static final class Op {
        final int code;
        byte[] key = new byte[0];
        byte[] key2 = new byte[0];
        int flags;
        long arg, arg2;
        /** For a range by score: the Redis bounds it stands for, checked with doubles. */
        double scoreMin, scoreMax;
        boolean byScore, scoreMinExcl, scoreMaxExcl;
        long result, out, sum;

        Op(int code) {
            this.code = code;
        }

        static Op keyed(int code, byte[] key) {
            Op o = new Op(code);
            o.key = key;
            return o;
        }

        @Override
        public String toString() {
            String range = byScore ? " scores " + scoreMin + (scoreMinExcl ? "(excl)" : "") + ".." + scoreMax
                    + (scoreMaxExcl ? "(excl)" : "") : "";
            return "op " + code + " key " + show(key) + " key2 " + show(key2) + " flags " + flags + " arg " + arg
                    + " arg2 " + arg2 + range + " -> " + result + "/" + out + "/" + sum;
        }
    }

    /**
     * test_zset.bpf.c on a fresh heap, with an empty list. Loading it takes seconds of verification,
     * so tests share one and start each with a list of their own ({@link #newList}).
     */
    static final class Driver implements AutoCloseable {
        final HeapFixture f;
        long list;
        SkiplistView view;

        Driver(long heapBytes) {
            f = new HeapFixture("/bpf/test_zset.bpf.o", heapBytes, "zset_setup", new byte[8], "zset_batch", RECORD,
                    CAPACITY);
            list = LittleEndian.getLong(f.setupOut, 0);
            view = SkiplistView.at(f.heap, list);
        }

        /** Makes a new empty list the one every program works on. */
        Driver newList() {
            try (TestRun r = f.obj.program("zset_setup").testRun()) {
                TestRun.Result res = r.context(new byte[8]).run();
                assertEquals(0, res.retval(), "zset_setup");
                list = LittleEndian.getLong(res.context(), 0);
            }
            view = SkiplistView.at(f.heap, list);
            return this;
        }

        void run(List<Op> ops) {
            for (int from = 0; from < ops.size(); from += CAPACITY) {
                List<Op> part = ops.subList(from, Math.min(ops.size(), from + CAPACITY));
                byte[] out = f.batch.run(encode(part), part.size());
                for (int i = 0; i < part.size(); i++) {
                    Op o = part.get(i);
                    o.result = LittleEndian.getLong(out, i * RECORD + 32);
                    o.out = LittleEndian.getLong(out, i * RECORD + 40);
                    o.sum = LittleEndian.getLong(out, i * RECORD + 48);
                }
            }
        }

        @Override
        public void close() {
            f.close();
        }
    }

    private static Driver shared;

    @BeforeAll
    static void load() {
        shared = new Driver(64L << 20);
    }

    @AfterAll
    static void unload() {
        shared.close();
    }

    static byte[] encode(List<Op> ops) {
        byte[] rec = new byte[ops.size() * RECORD];
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            int at = i * RECORD;
            LittleEndian.putInt(rec, at, o.code);
            LittleEndian.putInt(rec, at + 4, o.key.length);
            LittleEndian.putInt(rec, at + 8, o.key2.length);
            LittleEndian.putInt(rec, at + 12, o.flags);
            LittleEndian.putLong(rec, at + 16, o.arg);
            LittleEndian.putLong(rec, at + 24, o.arg2);
            System.arraycopy(o.key, 0, rec, at + 56, o.key.length);
            System.arraycopy(o.key2, 0, rec, at + 56 + KEY_MAX, o.key2.length);
        }
        return rec;
    }

    @Test
    void redisOrderHoldsForEveryPairOfAwkwardKeys() {
        List<byte[]> keys = new ArrayList<>();
        for (double s : SPECIAL_SCORES) {
            for (byte[] m : SPECIAL_MEMBERS) {
                keys.add(ZsetKey.of(s, m));
            }
        }
        Driver d = shared.newList();
        List<Op> ops = new ArrayList<>();
        for (byte[] a : keys) {
            for (byte[] b : keys) {
                Op o = Op.keyed(CMP, a);
                o.key2 = b;
                ops.add(o);
            }
        }
        d.run(ops);
        for (Op o : ops) {
            assertEquals(Integer.signum(ZsetKey.ORDER.compare(o.key, o.key2)), o.result,
                    "ffkx_zset_cmp(" + show(o.key) + ", " + show(o.key2) + ")");
        }

        // Inserted in random order, the list reads back in Redis order; -0.0 and 0.0 are one score.
        List<byte[]> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new Random(7));
        ConcurrentSkipListMap<byte[], Long> ref = new ConcurrentSkipListMap<>(ZsetKey.ORDER);
        ops.clear();
        for (int i = 0; i < shuffled.size(); i++) {
            Op o = Op.keyed(INSERT, shuffled.get(i));
            o.arg = i;
            ops.add(o);
        }
        d.run(ops);
        for (Op o : ops) {
            boolean fresh = ref.putIfAbsent(o.key, o.arg) == null;
            assertEquals(fresh ? 0 : EEXIST, o.result, "insert " + show(o.key));
        }
        assertEquals(keys.size() - SPECIAL_MEMBERS.length, ref.size(), "-0.0 and 0.0 collide for every member");
        assertView(d, ref);
        List<SkiplistView.Entry> read = d.view.entries();
        assertEquals(Double.NEGATIVE_INFINITY, ZsetKey.score(read.get(0).key()));
        assertEquals(Double.POSITIVE_INFINITY, ZsetKey.score(read.get(read.size() - 1).key()));
        for (int i = 1; i < read.size(); i++) {
            double a = ZsetKey.score(read.get(i - 1).key()), b = ZsetKey.score(read.get(i).key());
            assertTrue(a < b || a == b && Arrays.compareUnsigned(ZsetKey.member(read.get(i - 1).key()),
                    ZsetKey.member(read.get(i).key())) < 0, "entry " + i + " follows entry " + (i - 1));
        }
    }

    @Test
    void nextUpTurnsExclusiveScoreBoundsIntoInclusiveOnes() {
        Driver d = shared.newList();
        List<Op> ops = new ArrayList<>();
        for (double s : SPECIAL_SCORES) {
            if (s != Double.POSITIVE_INFINITY) {
                Op o = new Op(NEXT_UP);
                o.arg = Double.doubleToRawLongBits(s);
                ops.add(o);
            }
        }
        d.run(ops);
        for (Op o : ops) {
            double s = Double.longBitsToDouble(o.arg);
            assertEquals(Double.doubleToRawLongBits(Math.nextUp(s)), o.out, "next_up(" + s + ")");
        }
    }

    @Test
    void randomOperationsMatchConcurrentSkipListMap() {
        Random rnd = new Random(1234);
        Driver d = shared.newList();
        ConcurrentSkipListMap<byte[], Long> ref = new ConcurrentSkipListMap<>(ZsetKey.ORDER);
        long[] nextId = {1};
        Map<String, Integer> outcomes = new TreeMap<>();
        int total = 0;
        while (total < 100_000) {
            List<Op> ops = new ArrayList<>();
            for (int i = 0; i < CAPACITY; i++) {
                ops.add(randomOp(rnd, ref, nextId));
            }
            d.run(ops);
            for (Op o : ops) {
                check(o, ref, false);
                outcomes.merge(o.code + (o.result > 0 ? ":n" : ":" + o.result), 1, Integer::sum);
            }
            total += ops.size();
            assertView(d, ref);
        }
        // Both outcomes of every keyed operation, and non-empty answers of every query, were seen.
        for (String seen : List.of(INSERT + ":0", INSERT + ":" + EEXIST, REMOVE + ":0", REMOVE + ":" + ENOENT,
                UPDATE + ":0", UPDATE + ":" + ENOENT, LOOKUP + ":0", LOOKUP + ":" + ENOENT, RANK + ":n",
                RANK + ":" + ENOENT, AT + ":0", AT + ":" + ENOENT, RANGE_RANK + ":n", RANGE_RANK + ":0",
                RANGE_KEY + ":n", RANGE_KEY + ":0", REVERSE + ":n")) {
            assertTrue(outcomes.containsKey(seen), "outcome " + seen + " among " + outcomes);
        }
    }

    @Test
    void xdpInsertsKeysStraightFromPackets() {
        Driver d = shared.newList();
        ConcurrentSkipListMap<byte[], Long> ref = new ConcurrentSkipListMap<>(ZsetKey.ORDER);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Op o = Op.keyed(INSERT, ZsetKey.of(i % 10, ("member" + (char) ('a' + i / 10) + "x").getBytes()));
            o.arg = 7;
            ops.add(o);
        }
        d.run(ops);
        ops.forEach(o -> check(o, ref, false));
        byte[] key = ZsetKey.of(4.5, "xdp-memb".getBytes());
        byte[] frame = new byte[64];
        System.arraycopy(key, 0, frame, 0, key.length);
        try (TestRun run = d.f.obj.program("xdp_zset_insert").testRun()) {
            TestRun.Result r = run.data(frame).run();
            assertEquals(XDP_PASS, r.retval(), "a new key");
            ref.put(key, 1L);
            assertEquals(ref.headMap(key).size(), LittleEndian.getLong(r.data(), 16), "its rank");
            assertEquals(XDP_DROP, run.data(frame).run().retval(), "the same key again");
        }
        assertView(d, ref);
    }

    @Test
    void aLoopThatRunsOutOfBudgetReportsCancellation() {
        Driver d = shared.newList();
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ops.add(Op.keyed(INSERT, ZsetKey.of(i, new byte[0])));
        }
        d.run(ops);
        // Tie the last node's level-0 link back to itself: a search past it never ends.
        long tail = d.f.heap.getLong(d.list + 8);
        d.f.heap.putLong(tail + 24, tail);
        Op o = Op.keyed(LOOKUP, ZsetKey.of(1000, new byte[0]));
        byte[] out = d.f.runUnchecked(encode(List.of(o)));
        assertEquals(-125, LittleEndian.getLong(out, 32), "a lookup caught in a cycle");
    }

    @Test
    void fillingTheHeapFailsInsertsCleanlyAndFreeingMakesRoom() {
        // freed slots stay in this CPU's current slab pages (alloc.h's stated limit): one CPU throughout
        Threads.pinToCpu(0);
        try {
            fillFreeAndRefill();
        } finally {
            Threads.unpin();
        }
    }

    private void fillFreeAndRefill() {
        Random rnd = new Random(99);
        try (Driver d = new Driver(2L << 20)) {
            ConcurrentSkipListMap<byte[], Long> ref = new ConcurrentSkipListMap<>(ZsetKey.ORDER);
            int full = 0;
            long id = 1;
            for (int round = 0; round < 40 && full < 200; round++) {
                List<Op> ops = new ArrayList<>();
                for (int i = 0; i < CAPACITY; i++) {
                    Op o = Op.keyed(INSERT, ZsetKey.of(rnd.nextInt(1 << 20), randomMember(rnd, 24)));
                    o.arg = id++;
                    ops.add(o);
                }
                d.run(ops);
                for (Op o : ops) {
                    full += o.result == ENOMEM ? 1 : 0;
                    check(o, ref, true);
                }
            }
            assertTrue(full >= 200, "the heap filled up (" + ref.size() + " entries)");
            assertView(d, ref);

            // Remove half, and the freed nodes take new entries.
            List<byte[]> present = new ArrayList<>(ref.keySet());
            List<Op> ops = new ArrayList<>();
            for (int i = 0; i < present.size(); i += 2) {
                ops.add(Op.keyed(REMOVE, present.get(i)));
            }
            d.run(ops);
            for (Op o : ops) {
                check(o, ref, true);
            }
            ops.clear();
            for (int i = 0; i < present.size() / 4; i++) {
                Op o = Op.keyed(INSERT, ZsetKey.of(-1 - rnd.nextInt(1 << 20), randomMember(rnd, 24)));
                o.arg = id++;
                ops.add(o);
            }
            d.run(ops);
            // A node's size follows its random height, and slab pages stay with their size class.
            // A refill that draws a rare height more often than the removals freed it finds that
            // class full, so a few ENOMEMs are correct; most inserts must land in the freed room.
            int refused = 0;
            for (Op o : ops) {
                assertTrue(o.result == 0 || o.result == EEXIST || o.result == ENOMEM, "insert after frees: " + o);
                refused += o.result == ENOMEM ? 1 : 0;
                check(o, ref, true);
            }
            assertTrue(refused * 100 <= ops.size(), refused + " of " + ops.size() + " inserts after frees found no room");
            assertView(d, ref);
        }
    }

    /** An operation chosen to hit present and absent keys, boundaries and every query. */
    static Op randomOp(Random rnd, ConcurrentSkipListMap<byte[], Long> ref, long[] nextId) {
        int p = rnd.nextInt(100);
        Op o;
        if (p < 35) {
            o = Op.keyed(INSERT, randomKey(rnd));
            o.arg = nextId[0]++;
        } else if (p < 50) {
            o = Op.keyed(REMOVE, someKey(rnd, ref));
        } else if (p < 55) {
            o = Op.keyed(UPDATE, someKey(rnd, ref));
            o.arg = nextId[0]++;
        } else if (p < 65) {
            o = Op.keyed(LOOKUP, someKey(rnd, ref));
        } else if (p < 75) {
            o = Op.keyed(RANK, someKey(rnd, ref));
        } else if (p < 80) {
            o = new Op(AT);
            o.arg = rnd.nextInt(ref.size() + 3);
        } else if (p < 87) {
            o = new Op(RANGE_RANK);
            o.arg = rnd.nextInt(ref.size() + 3);
            o.arg2 = rnd.nextInt(8) == 0 ? -1L : o.arg + rnd.nextInt(40) - 5;
        } else if (p < 93) {
            o = Op.keyed(RANGE_KEY, someKey(rnd, ref));
            o.key2 = someKey(rnd, ref);
            o.flags = rnd.nextInt(16);
        } else if (p < 99) {
            double min = rnd.nextBoolean() ? randomScore(rnd) : randomScore(rnd) - 0.5;
            o = scoreRange(min, rnd.nextBoolean(), rnd.nextBoolean() ? min : randomScore(rnd) + rnd.nextInt(4),
                    rnd.nextBoolean());
        } else {
            o = new Op(REVERSE);
        }
        return o;
    }

    /**
     * A range by score, in the form skiplist.h documents for sorted sets: 8-byte bounds with no
     * member, exclusive bounds turned around with next_up.
     */
    static Op scoreRange(double min, boolean minExcl, double max, boolean maxExcl) {
        Op o = new Op(RANGE_KEY);
        o.byScore = true;
        o.scoreMin = min;
        o.scoreMax = max;
        o.scoreMinExcl = minExcl;
        o.scoreMaxExcl = maxExcl;
        byte[] none = new byte[0];
        if (minExcl && min == Double.POSITIVE_INFINITY) {
            // nothing is above +inf: [(+inf), (+inf)) is empty
            o.key = ZsetKey.of(min, none);
            o.key2 = o.key;
            o.flags = MAX_EXCL;
            return o;
        }
        o.key = ZsetKey.of(minExcl ? Math.nextUp(min) : min, none);
        if (!maxExcl && max == Double.POSITIVE_INFINITY) {
            o.flags = MAX_OPEN;
        } else {
            o.key2 = ZsetKey.of(maxExcl ? max : Math.nextUp(max), none);
            o.flags = MAX_EXCL;
        }
        return o;
    }

    /** Checks one operation's result against the reference and applies it there. */
    static void check(Op o, ConcurrentSkipListMap<byte[], Long> ref, boolean mayFillUp) {
        switch (o.code) {
            case INSERT -> {
                Long old = ref.get(o.key);
                if (mayFillUp && o.result == ENOMEM) {
                    // the node is allocated before the list is searched, so even a duplicate fails
                    return;
                }
                if (old != null) {
                    assertEquals(EEXIST, o.result, o.toString());
                    assertEquals((long) old, o.out, "existing value: " + o);
                } else {
                    assertEquals(0, o.result, o.toString());
                    ref.put(o.key, o.arg);
                }
            }
            case REMOVE -> {
                Long old = ref.remove(o.key);
                assertEquals(old == null ? ENOENT : 0, o.result, o.toString());
                if (old != null) {
                    assertEquals((long) old, o.out, "removed value: " + o);
                }
            }
            case UPDATE -> {
                Long old = ref.computeIfPresent(o.key, (k, v) -> o.arg);
                assertEquals(old == null ? ENOENT : 0, o.result, o.toString());
                if (old != null) {
                    assertEquals(o.arg, (long) old, "updated: " + o);
                }
            }
            case LOOKUP -> {
                Long v = ref.get(o.key);
                assertEquals(v == null ? ENOENT : 0, o.result, o.toString());
                if (v != null) {
                    assertEquals((long) v, o.out, o.toString());
                }
            }
            case RANK -> assertEquals(ref.containsKey(o.key) ? ref.headMap(o.key).size() : ENOENT, o.result,
                    o.toString());
            case AT -> {
                List<Long> values = new ArrayList<>(ref.values());
                boolean in = o.arg < values.size();
                assertEquals(in ? 0 : ENOENT, o.result, o.toString());
                if (in) {
                    assertEquals((long) values.get((int) o.arg), o.out, o.toString());
                }
            }
            case RANGE_RANK -> {
                List<Long> values = new ArrayList<>(ref.values());
                long stop = Long.compareUnsigned(o.arg2, values.size()) >= 0 ? values.size() - 1 : o.arg2;
                long count = o.arg < values.size() && o.arg <= stop ? stop - o.arg + 1 : 0;
                assertEquals(count, o.result, o.toString());
                assertEquals(count == 0 ? 0 : fold(values.subList((int) o.arg, (int) (o.arg + count))), o.sum,
                        "values of " + o);
            }
            case RANGE_KEY -> checkRangeByKey(o, ref);
            case REVERSE -> {
                List<Long> values = new ArrayList<>(ref.values());
                Collections.reverse(values);
                assertEquals(values.size(), o.result, o.toString());
                assertEquals(fold(values), o.sum, "values walking back");
            }
            default -> throw new IllegalArgumentException(o.toString());
        }
    }

    private static void checkRangeByKey(Op o, ConcurrentSkipListMap<byte[], Long> ref) {
        long below = 0;
        List<Long> in = new ArrayList<>();
        for (Map.Entry<byte[], Long> e : ref.entrySet()) {
            int where = o.byScore ? whereByScore(o, ZsetKey.score(e.getKey())) : whereByKey(o, e.getKey());
            if (where < 0) {
                below++;
            } else if (where == 0) {
                in.add(e.getValue());
            } else {
                break;
            }
        }
        assertEquals(in.size(), o.result, o.toString());
        assertEquals(fold(in), o.sum, "values of " + o);
        if (!in.isEmpty()) {
            assertEquals(below, o.out, "first rank of " + o);
        }
    }

    /** -1 below the range, 0 in it, 1 above it; the bounds are the record's keys and flags. */
    private static int whereByKey(Op o, byte[] key) {
        if ((o.flags & MIN_OPEN) == 0) {
            int c = ZsetKey.ORDER.compare(key, o.key);
            if (c < 0 || c == 0 && (o.flags & MIN_EXCL) != 0) {
                return -1;
            }
        }
        if ((o.flags & MAX_OPEN) == 0) {
            int c = ZsetKey.ORDER.compare(key, o.key2);
            if (c > 0 || c == 0 && (o.flags & MAX_EXCL) != 0) {
                return 1;
            }
        }
        return 0;
    }

    /** Redis' own test of a score against min and max, with doubles. */
    private static int whereByScore(Op o, double score) {
        if (o.scoreMinExcl ? score <= o.scoreMin : score < o.scoreMin) {
            return -1;
        }
        return (o.scoreMaxExcl ? score >= o.scoreMax : score > o.scoreMax) ? 1 : 0;
    }

    static long fold(List<Long> values) {
        long s = 0;
        for (long v : values) {
            s = s * 31 + v;
        }
        return s;
    }

    /** The list as read from the heap equals the reference, and its spans, levels and links are right. */
    static void assertView(Driver d, ConcurrentSkipListMap<byte[], Long> ref) {
        List<SkiplistView.Entry> entries = d.view.entries();
        assertEquals(ref.size(), d.view.size(), "length");
        assertEquals(ref.size(), entries.size(), "entries read");
        int i = 0;
        for (Map.Entry<byte[], Long> e : ref.entrySet()) {
            SkiplistView.Entry got = entries.get(i++);
            assertArrayEquals(e.getKey(), got.key(), "key " + i);
            assertEquals((long) e.getValue(), LittleEndian.getLong(got.value(), 0), "value " + i);
        }
        if (!entries.isEmpty()) {
            int from = entries.size() / 3;
            assertEquals(entries.subList(from, Math.min(entries.size(), from + 10)).stream().map(SkiplistView.Entry::key)
                    .map(Arrays::toString).toList(), d.view.range(from, 10).stream().map(SkiplistView.Entry::key)
                    .map(Arrays::toString).toList(), "range read from rank " + from);
        }
        SkiplistLayout.assertInvariants(d.f.heap, d.list);
    }

    static byte[] randomKey(Random rnd) {
        return ZsetKey.of(randomScore(rnd), randomMember(rnd, rnd.nextInt(20) == 0 ? 40 : 3));
    }

    static double randomScore(Random rnd) {
        return rnd.nextInt(4) == 0 ? SPECIAL_SCORES[rnd.nextInt(SPECIAL_SCORES.length)] : rnd.nextInt(12) - 4;
    }

    static byte[] randomMember(Random rnd, int maxLength) {
        byte[] alphabet = {0, 'a', 'b', (byte) 0xff};
        byte[] m = new byte[rnd.nextInt(maxLength + 1)];
        for (int i = 0; i < m.length; i++) {
            m[i] = alphabet[rnd.nextInt(alphabet.length)];
        }
        return m;
    }

    /** Mostly a key that is present, else a fresh one. */
    static byte[] someKey(Random rnd, ConcurrentSkipListMap<byte[], Long> ref) {
        if (ref.isEmpty() || rnd.nextInt(4) == 0) {
            return randomKey(rnd);
        }
        byte[] probe = randomKey(rnd);
        Map.Entry<byte[], Long> e = rnd.nextBoolean() ? ref.ceilingEntry(probe) : ref.floorEntry(probe);
        return e == null ? ref.firstKey() : e.getKey();
    }

    static String show(byte[] key) {
        if (key.length < 8) {
            return Arrays.toString(key);
        }
        return ZsetKey.score(key) + "/" + HexFormat.of().formatHex(ZsetKey.member(key));
    }
}
