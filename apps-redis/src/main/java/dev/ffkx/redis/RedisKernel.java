package dev.ffkx.redis;

import dev.ffkx.runtime.BpfException;
import dev.ffkx.runtime.BpfMap;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.Program;
import dev.ffkx.runtime.TestRun;
import dev.ffkx.runtime.heap.ExtensionHeap;
import dev.ffkx.runtime.heap.ManagedHeap;
import dev.ffkx.runtime.sys.LibC;
import dev.ffkx.runtime.sys.NativeMemory;
import java.util.List;

/**
 * The loaded Redis object: its heap holding an empty keyspace, the sk_skb verdict program, and
 * {@link #run}, which executes one command through the kernel engine for the slow path.
 */
public final class RedisKernel implements AutoCloseable {
    /** The engine's request and reply buffers (FFKX_TEXT_BUF): a command the kernel runs fits this. */
    public static final int TEXT_BUF = 2048;
    /** RD_KEY_MAX (rd_store.h): the longest key stored. */
    public static final int KEY_MAX = 1024;
    private static final int EAGAIN = 11;

    /** struct rd_entry (rd_store.h): where the key starts; the value follows it. */
    private static final int ENTRY_DATA = 48;
    // enum rd_big_op (redis.bpf.c)
    private static final int BIG_BUILD = 1, BIG_REF = 2, BIG_UNREF = 3;
    // struct rd_store (rd_store.h)
    private static final int ST_MASK = 8, ST_KEYS = 24, ST_EXPIRED = 32, ST_OOM = 40, ST_HITS = 48, ST_MISSES = 56;

    private final BpfObject obj;
    private final ExtensionHeap heap;
    private final long store;
    private final NativeMemory slowIo;
    private final TestRun run;
    private final TestRun big;
    /** rd_zrun, when the object serves sorted sets. */
    private final TestRun zrun;
    private final byte[] runArgs = new byte[24];

    private RedisKernel(BpfObject obj, ExtensionHeap heap, boolean sortedSets) {
        this.obj = obj;
        this.heap = heap;
        this.slowIo = mapSlowIo(obj);
        this.run = obj.closeWithObject(obj.program("rd_run").testRun());
        this.big = obj.closeWithObject(obj.program("rd_big").testRun());
        this.zrun = sortedSets ? obj.closeWithObject(obj.program("rd_zrun").testRun()) : null;
        this.store = ManagedHeap.root(heap, 0);
    }

    /**
     * Loads the object with a heap of {@code heapBytes} and creates the keyspace in it; with
     * {@code sortedSets} the engine runs the Z* commands, otherwise they are unknown to it.
     */
    public static RedisKernel load(long heapBytes, boolean sortedSets) {
        return load("/bpf/redis.bpf.o", heapBytes, sortedSets);
    }

    /** Loads {@code resource}: redis.bpf.o, or a test object built on it. */
    static RedisKernel load(String resource, long heapBytes, boolean sortedSets) {
        BpfObject obj = BpfObject.openResource(resource);
        try {
            ManagedHeap.configure(obj, heapBytes);
            if (!sortedSets) {
                obj.program("rd_zverdict").setAutoload(false);
                obj.program("rd_zrun").setAutoload(false);
            }
            obj.load();
            installVerdicts(obj, sortedSets);
            ExtensionHeap heap = ManagedHeap.initialize(obj);
            byte[] args = new byte[24]; // struct rd_init_args
            LittleEndian.putLong(args, 0, buckets(heapBytes));
            LittleEndian.putLong(args, 8, System.currentTimeMillis());
            LittleEndian.putLong(args, 16, sortedSets ? 1 : 0);
            try (TestRun init = obj.program("rd_init").testRun()) {
                int ret = init.context(args).runForRetval();
                if (ret != 0) {
                    throw new IllegalStateException("creating the Redis keyspace failed: " + ret);
                }
            }
            return new RedisKernel(obj, heap, sortedSets);
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    /**
     * rd_verdict's tail-call targets: the string commands' verdict, and the sorted sets' when they
     * are served; otherwise the strings' takes their skbs too and passes them up, where Z* are
     * unknown commands.
     */
    private static void installVerdicts(BpfObject obj, boolean sortedSets) {
        BpfMap verdicts = obj.map("rd_verdicts");
        byte[] strings = LittleEndian.u32(obj.program("rd_sverdict").fd());
        verdicts.update(0, strings);
        verdicts.update(1, sortedSets ? LittleEndian.u32(obj.program("rd_zverdict").fd()) : strings);
    }

    /** rd_slow_io, mapped (BPF_F_MMAPABLE): requests and replies go through memory, not syscalls. */
    private static NativeMemory mapSlowIo(BpfObject obj) {
        BpfMap map = obj.map("rd_slow_io");
        long size = (map.valueSize() + 4095) & ~4095L;
        long addr = LibC.mmap(0, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, map.fd(), 0);
        if (addr == LibC.MAP_FAILED) {
            throw new BpfException("mapping rd_slow_io", LibC.errno());
        }
        obj.closeWithObject(() -> LibC.munmap(addr, size));
        return NativeMemory.view(addr, size);
    }

    /** One bucket per 256 bytes of heap, a power of two. */
    private static long buckets(long heapBytes) {
        return Long.highestOneBit(Math.max(1024, heapBytes / 256));
    }

    public BpfObject object() {
        return obj;
    }

    /** The sk_skb fast path (the dispatcher), for {@link dev.ffkx.runtime.stream.StreamOffloadServer}. */
    public Program verdict() {
        return obj.program("rd_verdict");
    }

    public ExtensionHeap heap() {
        return heap;
    }

    /**
     * Runs one command (its arguments, name first) through the kernel engine. Returns the reply,
     * or null when the engine does not answer it: unknown to it, a wrong arity, larger than its
     * buffers, an argument it leaves to Java; nothing was changed then.
     */
    public byte[] run(List<byte[]> argv) {
        byte[] request = Resp.command(argv);
        if (request.length > TEXT_BUF) {
            return null;
        }
        Batch b = runAll(request);
        return b.done() == 1 ? b.replies() : null;
    }

    /**
     * Runs one sorted-set command through their executor (rd_zrun, syscall mode: scores as
     * rd_score.h's '#' bits in, ',' lines out). Returns the reply, or null when the executor did
     * not run it (a lock or the loop budget gave out; nothing changed). Needs a kernel loaded
     * with sorted sets.
     */
    public byte[] runSortedSet(List<byte[]> argv) {
        byte[] request = Resp.command(argv);
        if (request.length > TEXT_BUF) {
            throw new IllegalArgumentException(request.length + " bytes of command, the engine takes " + TEXT_BUF);
        }
        synchronized (this) {
            slowIo.write(0, request);
            byte[] args = new byte[24];
            LittleEndian.putInt(args, 0, request.length);
            int ret = zrun.context(args).runForRetval();
            if (ret != 0) {
                throw new IllegalStateException("rd_zrun failed: " + ret);
            }
            byte[] out = zrun.contextOut();
            return LittleEndian.getInt(out, 8) == 1 ? slowIo.read(TEXT_BUF, LittleEndian.getInt(out, 4)) : null;
        }
    }

    /** What {@link #runAll} did: the first {@code done} commands ran, and these are their replies. */
    public record Batch(int done, byte[] replies) {}

    /**
     * Runs encoded commands (at most {@link #TEXT_BUF} bytes of them) in order, up to the first
     * one the engine leaves to Java, which is not run.
     */
    public Batch runAll(byte[] requests) {
        return runAll(requests, 0);
    }

    /** {@link #runAll}, the first command a SET of the value in {@code built} (see {@link #build}). */
    Batch runAll(byte[] requests, long built) {
        if (requests.length > TEXT_BUF) {
            throw new IllegalArgumentException(requests.length + " bytes of requests, the engine takes " + TEXT_BUF);
        }
        synchronized (this) {
            slowIo.write(0, requests);
            LittleEndian.putInt(runArgs, 0, requests.length);
            LittleEndian.putLong(runArgs, 16, built);
            int ret = run.context(runArgs).runForRetval();
            if (ret != 0) {
                throw new IllegalStateException("rd_run failed: " + ret);
            }
            byte[] out = run.contextOut();
            return new Batch(LittleEndian.getInt(out, 8), slowIo.read(TEXT_BUF, LittleEndian.getInt(out, 4)));
        }
    }

    private byte[] big(int op, byte[] key, int vlen, long addr) {
        byte[] args = new byte[32];
        LittleEndian.putInt(args, 0, op);
        LittleEndian.putInt(args, 4, key == null ? 0 : key.length);
        LittleEndian.putInt(args, 8, vlen);
        LittleEndian.putLong(args, 16, addr);
        if (key != null) {
            slowIo.write(0, key);
        }
        int ret = big.context(args).runForRetval();
        if (ret != 0) {
            throw new IllegalStateException("rd_big " + op + " failed: " + ret);
        }
        return big.contextOut();
    }

    /**
     * A new string entry for key with room for a value of vlen bytes, which the caller writes with
     * {@link #writeValue} and hands to a SET through {@link #runAll(byte[], long)}; 0 when the heap
     * is full.
     */
    synchronized long build(byte[] key, int vlen) {
        return LittleEndian.getLong(big(BIG_BUILD, key, vlen, 0), 16);
    }

    void writeValue(long entry, int keyLength, byte[] value) {
        heap.write(entry + ENTRY_DATA + keyLength, value);
    }

    /** A live entry pinned for reading: it stays valid, whatever happens to its key, until {@link #unref}. */
    record Pinned(long addr, int nval, boolean string) {}

    /** The key's live entry, pinned; null when there is none. Throws nothing on contention: retries. */
    synchronized Pinned ref(byte[] key) {
        for (int attempt = 0; ; attempt++) {
            byte[] out = big(BIG_REF, key, 0, 0);
            if (LittleEndian.getInt(out, 28) == 0) {
                long addr = LittleEndian.getLong(out, 16);
                return addr == 0 ? null : new Pinned(addr, LittleEndian.getInt(out, 12), LittleEndian.getInt(out, 24) == 0);
            }
            if (attempt > 1000) {
                throw new IllegalStateException("the key's lock stayed taken");
            }
            Thread.onSpinWait();
        }
    }

    byte[] value(Pinned p, int keyLength) {
        return heap.read(p.addr() + ENTRY_DATA + keyLength, p.nval());
    }

    /** Lets go of a pinned entry, or of a built one that no SET took. */
    synchronized void unref(long addr) {
        big(BIG_UNREF, null, 0, addr);
    }

    /** FLUSHALL: every key freed, a range of buckets per program run. */
    public synchronized void flushAll() {
        long buckets = (heap.getInt(store + ST_MASK) & 0xffffffffL) + 1;
        try (TestRun flush = obj.program("rd_flush").testRun()) {
            long from = 0;
            while (from < buckets) {
                int ret = flush.context(LittleEndian.u64(from)).runForRetval();
                if (ret != 0 && ret != -EAGAIN) {
                    throw new IllegalStateException("rd_flush failed: " + ret);
                }
                from = LittleEndian.getLong(flush.contextOut(), 0);
            }
        }
    }

    /** The keyspace's and the fast path's counters, read without locks (a racy snapshot). */
    public Counters counters() {
        return new Counters(heap.getLong(store + ST_KEYS), heap.getLong(store + ST_EXPIRED),
                heap.getLong(store + ST_OOM), heap.getLong(store + ST_HITS), heap.getLong(store + ST_MISSES),
                obj.map("rd_counters").sumPerCpuU64(LittleEndian.u32(0), 0));
    }

    /** Keys (including expired ones not yet found), keys expired, OOM refusals, GET hits and misses. */
    public record Counters(long keys, long expired, long oom, long hits, long misses, long fastCommands) {}

    @Override
    public void close() {
        obj.close();
    }
}
