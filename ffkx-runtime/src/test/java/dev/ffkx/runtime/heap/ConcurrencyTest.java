package dev.ffkx.runtime.heap;

import static dev.ffkx.runtime.heap.Structs.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.TestRun;
import dev.ffkx.runtime.Threads;
import dev.ffkx.runtime.XdpMode;
import dev.ffkx.runtime.net.VethSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two threads pinned to different CPUs run allocator and hashmap batches into one heap at the
 * same time. Each owns its keys (so its own model predicts every result) but shares buckets, lock
 * stripes, size classes and pages with the other.
 */
@ExtendWith(NoLeftovers.class)
class ConcurrencyTest {
    static final int BATCH = 2500, BATCHES = 40;

    /** What one thread did and still holds. */
    static final class Worker {
        final int id;
        final Map<ByteBuffer, ByteBuffer> model = new HashMap<>();
        final Map<Long, Integer> live = new HashMap<>();
        final List<long[]> batchTimes = new ArrayList<>();
        int cpu = -1;

        Worker(int id) {
            this.id = id;
        }

        void run(Structs s, CyclicBarrier start) throws Exception {
            Threads.pinToCpu(id);
            cpu = Threads.currentCpu();
            Random rnd = new Random(100 + id);
            byte[][] pool = HashmapTest.keyPool(rnd, 20_000);
            for (byte[] k : pool) {
                k[0] = (byte) id; // keys of the two threads never collide
            }
            try (OpBatch batch = s.newBatch()) {
                start.await();
                for (int b = 0; b < BATCHES; b++) {
                    List<Op> ops = new ArrayList<>(BATCH);
                    List<Long> candidates = new ArrayList<>(live.keySet());
                    for (int i = 0; i < BATCH; i++) {
                        int kind = rnd.nextInt(10);
                        if (kind < 6) {
                            ops.add(HashmapTest.randomOp(rnd, pool, 0.5, OP_MAP_LOOKUP, OP_MAP_UPDATE, OP_MAP_DELETE));
                        } else if (kind < 8 || candidates.isEmpty()) {
                            ops.add(Op.alloc(rnd.nextInt(20) == 0 ? 4097 + rnd.nextInt(20_000) : 8 + rnd.nextInt(4089)));
                        } else {
                            long addr = candidates.remove(rnd.nextInt(candidates.size()));
                            ops.add(Op.free(addr, live.remove(addr)));
                        }
                    }
                    // both threads enter each batch together, so the kernel work really overlaps
                    start.await();
                    long t0 = System.nanoTime();
                    Structs.run(batch, ops);
                    batchTimes.add(new long[] {t0, System.nanoTime()});
                    for (Op o : ops) {
                        if (o.op == OP_ALLOC) {
                            assertEquals(0, o.result, "thread " + id + ": allocation of " + o.flags + " bytes");
                            live.put(o.addr(), o.flags);
                        } else if (o.op == OP_FREE) {
                            assertEquals(0, o.result, "thread " + id + ": the object at 0x" + Long.toHexString(o.addr())
                                    + " was written by someone else while this thread held it");
                        } else {
                            Structs.check(o, model, "thread " + id);
                        }
                    }
                }
            }
        }
    }

    @Test
    void twoCpusHammerTheAllocatorAndTheHashmap() throws Exception {
        try (Structs s = new Structs(64L << 20, 4096, BATCH)) {
            AllocatorStats before = AllocatorStats.read(s.heap);
            Worker[] workers = {new Worker(0), new Worker(1)};
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (Worker w : workers) {
                    done.add(pool.submit(() -> {
                        w.run(s, start);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0, workers[0].cpu);
            assertEquals(1, workers[1].cpu);
            assertTrue(overlapping(workers[0].batchTimes, workers[1].batchTimes) > BATCHES / 4,
                    "the two threads' batches ran at the same time");

            // The map holds exactly what the two threads' models say.
            Map<ByteBuffer, ByteBuffer> expected = new HashMap<>(workers[0].model);
            expected.putAll(workers[1].model);
            assertEquals(expected, s.mapContents());

            // No object is held twice: live objects of both threads are disjoint.
            TreeMap<Long, Integer> all = new TreeMap<>();
            for (Worker w : workers) {
                for (Map.Entry<Long, Integer> e : w.live.entrySet()) {
                    Map.Entry<Long, Integer> below = all.floorEntry(e.getKey());
                    if (below != null && below.getKey() + below.getValue() > e.getKey()) {
                        fail("0x" + Long.toHexString(e.getKey()) + " overlaps 0x" + Long.toHexString(below.getKey()));
                    }
                    Map.Entry<Long, Integer> above = all.ceilingEntry(e.getKey());
                    if (above != null && e.getKey() + e.getValue() > above.getKey()) {
                        fail("0x" + Long.toHexString(e.getKey()) + " overlaps 0x" + Long.toHexString(above.getKey()));
                    }
                    all.put(e.getKey(), e.getValue());
                }
            }

            // None lost: what the bitmaps say is in use is exactly what is held; free + in use = slots.
            AllocatorStats after = AllocatorStats.read(s.heap);
            long[] held = new long[HeapLayout.NR_CLASSES];
            long runs = 2; // the two threads' operation buffers
            for (int size : all.values()) {
                if (size <= 4096) {
                    held[HeapLayout.classOf(size)]++;
                } else {
                    runs++;
                }
            }
            held[HeapLayout.classOf(NODE_SIZE)] += expected.size();
            for (int c = 0; c < HeapLayout.NR_CLASSES; c++) {
                AllocatorStats.SizeClass sc = after.classes().get(c);
                assertEquals(before.classes().get(c).inUse() + held[c], sc.inUse(), "in use, class " + sc.size());
                assertEquals(sc.pages() * HeapLayout.classSlots(c), sc.inUse() + sc.free(), "slots, class " + sc.size());
                assertEquals(0, sc.failures(), "failures, class " + sc.size());
            }
            assertEquals(before.runsInUse() + runs, after.runsInUse(), "runs in use");
            assertEquals(0, after.doubleFrees() + after.badPointers() + after.cancelled() + after.runFailures());
        }
    }

    private static int overlapping(List<long[]> a, List<long[]> b) {
        int n = 0;
        for (long[] x : a) {
            for (long[] y : b) {
                if (x[0] < y[1] && y[0] < x[1]) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /**
     * A softirq program interrupting a syscall program on the same CPU, both allocating. Generic
     * XDP on the host end of a veth runs in NET_RX softirq on the CPU that processes the backlog;
     * RPS sends that to CPU 0, where test_spin loops. The sender runs on CPU 1, since CPU 0 is busy.
     * Safety does not depend on this happening: every allocator step is one atomic on heap memory,
     * and locks are taken with interrupts off, so the softirq can neither see a half-done step nor
     * wait for the context it interrupted.
     */
    @Test
    void softirqProgramInterruptsAnAllocatingSyscallProgramOnTheSameCpu() throws Exception {
        try (VethSandbox sandbox = VethSandbox.create(); Structs s = new Structs(16L << 20, 64, 64);
             TestRun spin = s.obj.program("test_spin").testRun()) {
            s.obj.program("xdp_lookup").attachXdp(sandbox.hostDevice(), XdpMode.GENERIC);
            Files.writeString(Path.of("/sys/class/net", sandbox.hostDevice(), "queues/rx-0/rps_cpus"), "1");
            // xdp_lookup drops what it does not find, ARP included: resolve the host statically.
            String mac = Files.readString(Path.of("/sys/class/net", sandbox.hostDevice(), "address")).strip();
            sandbox.namespace().ip("neigh", "replace", sandbox.hostAddress(), "lladdr", mac, "dev", sandbox.peerDevice());
            long before = AllocatorStats.read(s.heap).objectsInUse();
            ExecutorService threads = Executors.newFixedThreadPool(2);
            long[] result = new long[2]; // alloc/free pairs, nested XDP runs
            try {
                Future<?> traffic = threads.submit(() -> sandbox.namespace().exec("timeout", "4", "taskset", "-c", "1",
                        "ping", "-q", "-i", "0.0002", "-s", "64", sandbox.hostAddress()));
                threads.submit(() -> {
                    Threads.pinToCpu(0);
                    byte[] args = new byte[24];
                    LittleEndian.putLong(args, 0, 50_000_000L);
                    for (int i = 0; i < 40 && result[1] < 10 || i < 10; i++) {
                        byte[] out = spin.context(args).run().context();
                        result[0] += LittleEndian.getLong(out, 8);
                        assertEquals(0, LittleEndian.getLong(out, 16), "objects written by someone else while held");
                        result[1] = LittleEndian.getLong(s.obj.map("xdp_counts").lookup(0), 32);
                    }
                    return null;
                }).get();
                traffic.cancel(true);
            } finally {
                threads.shutdownNow();
            }
            long pairs = result[0], nested = result[1];
            byte[] counts = s.obj.map("xdp_counts").lookup(0);
            long xdpRuns = LittleEndian.getLong(counts, 0) + LittleEndian.getLong(counts, 8);
            System.out.printf("nested: %d of %d XDP runs interrupted test_spin (%d alloc/free pairs)%n", nested, xdpRuns, pairs);
            assertTrue(nested >= 10, "XDP runs interrupted the syscall program on its CPU (" + xdpRuns + " XDP runs)");
            assertEquals(0, LittleEndian.getLong(counts, 24), "XDP allocation failures");
            AllocatorStats after = AllocatorStats.read(s.heap);
            assertEquals(before, after.objectsInUse(), "every object of both contexts was freed");
            assertEquals(0, after.doubleFrees() + after.badPointers() + after.cancelled());
        }
    }
}
