package dev.ffkx.memcached;

import dev.ffkx.runtime.BpfMap;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.Program;
import dev.ffkx.runtime.TestRun;
import dev.ffkx.runtime.heap.ExtensionHeap;
import dev.ffkx.runtime.heap.ManagedHeap;
import dev.ffkx.runtime.stream.ReadSignal;
import dev.ffkx.runtime.stream.StreamOffloadServer;
import dev.ffkx.runtime.stream.StreamSession;
import java.util.Arrays;
import java.util.function.Supplier;

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
    private static final int CNT_UDP_FAST = 0, CNT_UDP_SLOW = 1, CNT_SLOW_FRAME = 2, CNT_SLOW_ORDER = 3,
            CNT_SLOW_PARSE = 4, CNT_SLOW_EXEC = 5;

    private final BpfObject obj;
    private final ExtensionHeap heap;
    private final long store;
    private final BpfMap slowIo;
    private final TestRun exec;
    private final TestRun slowOpRun;
    private final byte[] execArgs = new byte[8];

    private MemcachedKernel(BpfObject obj, ExtensionHeap heap) {
        this.obj = obj;
        this.heap = heap;
        this.slowIo = obj.map("mc_slow_io");
        this.exec = obj.closeWithObject(obj.program("mc_exec").testRun());
        this.slowOpRun = obj.closeWithObject(obj.program("mc_slow_op").testRun());
        this.store = ManagedHeap.root(heap, 0);
    }

    /**
     * Loads the object with a heap of {@code heapBytes}, UDP fast path on {@code udpPort}, and items
     * of at most {@code maxItemBytes} (header, key and value).
     */
    public static MemcachedKernel load(long heapBytes, int udpPort, long maxItemBytes) {
        return load(BpfObject.openResource("/bpf/memcached.bpf.o"), heapBytes, udpPort, maxItemBytes);
    }

    /** Loads an opened build of the object, such as one that adds programs to it (tests measure this way). */
    static MemcachedKernel load(BpfObject obj, long heapBytes, int udpPort, long maxItemBytes) {
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

    Program program(String name) {
        return obj.program(name);
    }

    BpfMap map(String name) {
        return obj.map(name);
    }

    /**
     * Serves TCP on {@code port} of every address: the sk_skb fast path (mc_verdict) in front of a
     * session per connection; closing the server detaches it. Most GET hits are sent from user
     * space (see README), so the sockets' own wakeups signal it ({@link ReadSignal#SOCKET_EDGE}).
     */
    public StreamOffloadServer serveTcp(int port, Supplier<StreamSession> sessions) {
        return StreamOffloadServer.start(obj, obj.program("mc_verdict"), "0.0.0.0", port, sessions,
                ReadSignal.SOCKET_EDGE);
    }

    public ExtensionHeap heap() {
        return heap;
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
                count(fast, CNT_SLOW_FRAME), count(fast, CNT_SLOW_ORDER), count(fast, CNT_SLOW_PARSE),
                count(fast, CNT_SLOW_EXEC));
    }

    private static long count(BpfMap counters, int which) {
        return counters.sumPerCpuU64(LittleEndian.u32(which), 0);
    }

    /**
     * Counters of the store and of the XDP fast path: datagrams answered in XDP, and those passed
     * up, by reason (not one datagram, behind the client's earlier slow-path datagrams, not parsed,
     * declined by the engine, which includes a reply that would not fit the frame).
     */
    public record Counters(long currItems, long totalItems, long evictions, long reclaimed, long allocFailures,
                           long udpFast, long udpSlow, long slowFrame, long slowOrder, long slowParse, long slowExec) {}

    // struct mc_io (mc_engine.h): request text, reply text, parsed command, pending store
    private static final int CMD = 2 * TEXT_BUF, PEND = CMD + 128;
    // struct mc_item (mc_store.h)
    private static final int ITEM_DATA = 48;
    // enum mc_slow_op_kind (memcached.bpf.c)
    private static final int OP_REF = 1, OP_UNREF = 2, OP_MEASURE = 3, OP_BUILD = 4, OP_COMMIT = 5;
    /** enum mc_op values the slow path stores with. */
    static final int SET = 3, ADD = 4, REPLACE = 5, APPEND = 6, PREPEND = 7, CAS = 8, REWRITE = 15;
    /** enum mc_result, and the engine's "not for me". */
    static final int STORED = 0, NOT_STORED = 1, EXISTS = 2, NOT_FOUND = 3, NO_MEMORY = 6, SLOW = -1, EAGAIN = -11;

    /** An item the slow path pinned: it stays readable until {@link #unref}. */
    record Item(long addr, long cas, long flags, int nbytes, int exptime) {}

    /** The slow path's request: key text and a command, written whole into mc_slow_io. */
    private byte[] io(byte[] key, int op, long flags, long exptime, int vlen, long arg) {
        byte[] io = new byte[slowIo.valueSize()];
        System.arraycopy(key, 0, io, 0, key.length);
        io[CMD] = (byte) op;
        io[CMD + 2] = 1;
        LittleEndian.putInt(io, CMD + 4, (int) flags);
        LittleEndian.putLong(io, CMD + 8, exptime);
        LittleEndian.putLong(io, CMD + 16, arg);
        LittleEndian.putInt(io, CMD + 24, vlen);
        io[CMD + 40] = 0; // keys[0] = {off 0, len nkey}
        io[CMD + 42] = (byte) key.length;
        return io;
    }

    private int slowOp(int kind, boolean touch, long addr, byte[] out) {
        byte[] args = new byte[48];
        LittleEndian.putInt(args, 0, kind);
        LittleEndian.putInt(args, 4, touch ? 1 : 0);
        LittleEndian.putLong(args, 8, addr);
        int ret = slowOpRun.context(args).runForRetval();
        if (ret != 0) {
            throw new IllegalStateException("mc_slow_op " + kind + " failed: " + ret);
        }
        byte[] back = slowOpRun.contextOut();
        if (out != null) {
            System.arraycopy(back, 0, out, 0, back.length);
        }
        return LittleEndian.getInt(back, 36);
    }

    /** Pins the live item under key (touching it to exptime if touch), or returns null. */
    synchronized Item ref(byte[] key, boolean touch, long exptime) {
        slowIo.update(0, io(key, 0, 0, exptime, 0, 0));
        byte[] out = new byte[48];
        if (slowOp(OP_REF, touch, 0, out) != 0) {
            throw new IllegalStateException("the store refused to pin a key (lock contention)");
        }
        long addr = LittleEndian.getLong(out, 8);
        return addr == 0 ? null : new Item(addr, LittleEndian.getLong(out, 16), LittleEndian.getInt(out, 24) & 0xffffffffL,
                LittleEndian.getInt(out, 28), LittleEndian.getInt(out, 32));
    }

    /** The pinned item's value, straight from the heap. */
    byte[] value(Item it, int nkey) {
        return heap.read(it.addr() + ITEM_DATA + nkey, it.nbytes());
    }

    synchronized void unref(Item it) {
        slowOp(OP_UNREF, false, it.addr(), null);
    }

    /**
     * Stores a value of any size up to the item limit: the kernel builds the item, Java writes the
     * value into the heap, the kernel links it by op's rules. Returns an mc_result.
     */
    synchronized int store(int op, byte[] key, long flags, long exptime, byte[] value, long casUnique, Item old) {
        while (true) {
            byte[] io = io(key, op, flags, exptime, value.length, casUnique);
            if (old != null) {
                LittleEndian.putLong(io, PEND + 16, old.addr());
                LittleEndian.putLong(io, PEND + 24, old.cas());
                LittleEndian.putInt(io, PEND + 36, (int) old.flags());
                LittleEndian.putInt(io, PEND + 40, old.exptime());
            }
            slowIo.update(0, io);
            int oldBytes = 0;
            if (op == APPEND || op == PREPEND) {
                int measured = slowOp(OP_MEASURE, false, 0, null);
                if (measured != 0) {
                    return measured;
                }
                oldBytes = LittleEndian.getInt(slowIo.lookup(0), PEND + 32);
            }
            byte[] out = new byte[48];
            int built = slowOp(OP_BUILD, false, 0, out);
            if (built == SLOW) {
                return NOT_STORED; // append/prepend past the limit: memcached says NOT_STORED
            }
            if (built != 0) {
                return built;
            }
            long item = LittleEndian.getLong(out, 8);
            heap.write(item + ITEM_DATA + key.length + (op == APPEND ? oldBytes : 0), value);
            int result = slowOp(OP_COMMIT, false, 0, null);
            if (result != EAGAIN || old != null) {
                return result;
            }
        }
    }

    /**
     * Records that the slow path finished {@code answered} datagrams from a client, so XDP may
     * answer the client's next ones itself (see mc_udp_passed in memcached.bpf.c).
     */
    void udpAnswered(byte[] ipv4, int port, long answered) {
        byte[] key = new byte[8];
        System.arraycopy(ipv4, 0, key, 0, 4);
        key[4] = (byte) (port >>> 8); // network order, as XDP reads it from the header
        key[5] = (byte) port;
        obj.map("mc_udp_answered").update(key, LittleEndian.u64(answered));
    }

    @Override
    public void close() {
        obj.close();
    }
}
