package dev.ffkx.memcached;

import dev.ffkx.runtime.BpfMap;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.Program;
import dev.ffkx.runtime.TestRun;
import dev.ffkx.runtime.heap.ExtensionHeap;
import dev.ffkx.runtime.heap.ManagedHeap;
import java.util.Arrays;

/**
 * The loaded memcached object: its heap, initialised and holding an empty store, its XDP fast
 * path, and {@link #execute}, which runs one request through the kernel engine for the slow path.
 */
public final class MemcachedKernel implements AutoCloseable {
    /** memcached's clock starts at ITEM_UPDATE_INTERVAL + 2 seconds. */
    private static final long CLOCK_BASE = 62;
    private static final int TEXT_BUF = 2048;
    private static final int RESP = TEXT_BUF;

    // struct mc_store (mc_store.h): offsets of what Java reads and reports
    private static final int ST_MAX_ITEM = 56, ST_CURR_ITEMS = 64, ST_TOTAL_ITEMS = 72, ST_EVICTIONS = 80,
            ST_RECLAIMED = 88, ST_ALLOC_FAILURES = 96;
    private static final int CNT_UDP_FAST = 0, CNT_UDP_SLOW = 1, CNT_SLOW_FRAME = 2, CNT_SLOW_PARSE = 3,
            CNT_SLOW_EXEC = 4, CNT_SLOW_ROOM = 5;

    private final BpfObject obj;
    private final ExtensionHeap heap;
    private final long store;
    private final BpfMap slowIo;
    private final TestRun exec;
    private final byte[] execArgs = new byte[8];

    private MemcachedKernel(BpfObject obj, ExtensionHeap heap) {
        this.obj = obj;
        this.heap = heap;
        this.slowIo = obj.map("mc_slow_io");
        this.exec = obj.closeWithObject(obj.program("mc_exec").testRun());
        this.store = ManagedHeap.root(heap, 0);
    }

    /**
     * Loads the object with a heap of {@code heapBytes}, UDP fast path on {@code udpPort}, and items
     * of at most {@code maxItemBytes} (header, key and value).
     */
    public static MemcachedKernel load(long heapBytes, int udpPort, long maxItemBytes) {
        BpfObject obj = BpfObject.openResource("/bpf/memcached.bpf.o");
        try {
            ManagedHeap.configure(obj, heapBytes);
            byte[] config = new byte[2];
            config[0] = (byte) udpPort;
            config[1] = (byte) (udpPort >>> 8);
            obj.setReadOnlyConfig(config);
            obj.load();
            ExtensionHeap heap = ManagedHeap.initialize(obj);
            byte[] args = new byte[24];
            LittleEndian.putLong(args, 0, buckets(heapBytes));
            LittleEndian.putLong(args, 8, maxItemBytes);
            LittleEndian.putLong(args, 16, System.currentTimeMillis() / 1000 - CLOCK_BASE);
            try (TestRun init = obj.program("mc_init").testRun()) {
                int ret = init.context(args).runForRetval();
                if (ret != 0) {
                    throw new IllegalStateException("creating the memcached store failed: " + ret);
                }
            }
            return new MemcachedKernel(obj, heap);
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    /** One bucket per 256 bytes of heap, a power of two. */
    private static long buckets(long heapBytes) {
        return Long.highestOneBit(Math.max(1024, heapBytes / 256));
    }

    /** The UDP fast path, to attach with {@link Program#attachXdp}. */
    public Program xdp() {
        return obj.program("mc_xdp");
    }

    public ExtensionHeap heap() {
        return heap;
    }

    public BpfObject object() {
        return obj;
    }

    /**
     * Runs one complete request through the kernel engine. Returns the reply (empty for noreply),
     * or null when the request is not one the engine serves and the slow path must answer it.
     */
    public synchronized byte[] execute(byte[] request) {
        if (request.length > TEXT_BUF) {
            return null;
        }
        byte[] io = new byte[slowIo.valueSize()];
        System.arraycopy(request, 0, io, 0, request.length);
        slowIo.update(0, io);
        LittleEndian.putInt(execArgs, 0, request.length);
        int ret = exec.context(execArgs).runForRetval();
        if (ret != 0) {
            throw new IllegalStateException("mc_exec failed: " + ret);
        }
        int reply = LittleEndian.getInt(exec.contextOut(), 4);
        if (reply < 0) {
            return null;
        }
        return Arrays.copyOfRange(slowIo.lookup(0), RESP, RESP + reply);
    }

    /** memcached's -I: the item size limit the store applies. */
    public long itemLimit() {
        return heap.getLong(store + ST_MAX_ITEM);
    }

    /** flush_all with memcached's delay argument (0 for now). */
    public synchronized void flush(long delay) {
        try (TestRun run = obj.program("mc_flush").testRun()) {
            int ret = run.context(LittleEndian.u64(delay)).runForRetval();
            if (ret != 0) {
                throw new IllegalStateException("mc_flush failed: " + ret);
            }
        }
    }

    /** The store's counters and the fast path's, read without locks (a racy snapshot). */
    public Counters counters() {
        BpfMap fast = obj.map("mc_counters");
        return new Counters(heap.getLong(store + ST_CURR_ITEMS), heap.getLong(store + ST_TOTAL_ITEMS),
                heap.getLong(store + ST_EVICTIONS), heap.getLong(store + ST_RECLAIMED),
                heap.getLong(store + ST_ALLOC_FAILURES), count(fast, CNT_UDP_FAST), count(fast, CNT_UDP_SLOW),
                count(fast, CNT_SLOW_FRAME), count(fast, CNT_SLOW_PARSE), count(fast, CNT_SLOW_EXEC),
                count(fast, CNT_SLOW_ROOM));
    }

    private static long count(BpfMap counters, int which) {
        return counters.sumPerCpuU64(LittleEndian.u32(which), 0);
    }

    /**
     * Counters of the store and of the XDP fast path: datagrams answered in XDP, and those passed
     * up, by reason (not one datagram, not parsed, declined by the engine, no room for the reply).
     */
    public record Counters(long currItems, long totalItems, long evictions, long reclaimed, long allocFailures,
                           long udpFast, long udpSlow, long slowFrame, long slowParse, long slowExec, long slowRoom) {}

    @Override
    public void close() {
        obj.close();
    }
}
