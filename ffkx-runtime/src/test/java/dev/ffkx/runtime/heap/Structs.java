package dev.ffkx.runtime.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.TestRun;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** test_structs.bpf.c loaded on a fresh heap, with its map and list created, driven by op records. */
final class Structs implements AutoCloseable {
    static final int OP_MAP_LOOKUP = 1, OP_MAP_UPDATE = 2, OP_MAP_DELETE = 3;
    static final int OP_LIST_LOOKUP = 4, OP_LIST_UPDATE = 5, OP_LIST_DELETE = 6;
    static final int OP_ALLOC = 7, OP_FREE = 8;
    static final int ANY = 0, NOEXIST = 1, EXIST = 2;
    static final int KEY_MAX = 16, VALUE_SIZE = 24, NODE_SIZE = 24 + KEY_MAX + VALUE_SIZE;
    static final int RECORD = 56;
    static final int ENOENT = -2, E2BIG = -7, ENOMEM = -12, EFAULT = -14, EEXIST = -17, EINVAL = -22;

    /** One operation and, after a run, its result and value (for OP_ALLOC, value[0..8) is the address). */
    static final class Op {
        final int op, flags;
        final byte[] key;
        byte[] value;
        int result;

        Op(int op, byte[] key, byte[] value, int flags) {
            this.op = op;
            this.key = key;
            this.value = value == null ? new byte[VALUE_SIZE] : value;
            this.flags = flags;
        }

        static Op alloc(int size) {
            Op o = new Op(OP_ALLOC, new byte[0], null, size);
            return o;
        }

        static Op free(long addr, int size) {
            byte[] v = new byte[VALUE_SIZE];
            LittleEndian.putLong(v, 0, addr);
            return new Op(OP_FREE, new byte[0], v, size);
        }

        long addr() {
            return LittleEndian.getLong(value, 0);
        }
    }

    final BpfObject obj;
    final ExtensionHeap heap;
    final long map;
    final long list;
    private final int capacity;

    Structs(long heapBytes, int buckets, int batchCapacity) {
        obj = BpfObject.openResource("/bpf/test_structs.bpf.o");
        try {
            ManagedHeap.configure(obj, heapBytes);
            obj.load();
            heap = ManagedHeap.initialize(obj);
            byte[] args = new byte[24];
            LittleEndian.putInt(args, 0, buckets);
            try (TestRun r = obj.program("test_create").testRun()) {
                TestRun.Result res = r.context(args).run();
                assertEquals(0, res.retval(), "test_create");
                map = LittleEndian.getLong(res.context(), 8);
                list = LittleEndian.getLong(res.context(), 16);
            }
            capacity = batchCapacity;
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    /** A batch runner with an operation buffer of its own: one per thread. */
    OpBatch newBatch() {
        return new OpBatch(obj, heap, "test_batch", RECORD, capacity);
    }

    /** Runs ops (fills in result and value). */
    static void run(OpBatch batch, List<Op> ops) {
        byte[] rec = new byte[ops.size() * RECORD];
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            int at = i * RECORD;
            LittleEndian.putInt(rec, at, o.op);
            // alloc and free carry the object's size where map operations carry the key's length
            LittleEndian.putInt(rec, at + 8, o.op >= OP_ALLOC ? o.flags : o.key.length);
            LittleEndian.putInt(rec, at + 12, o.op >= OP_ALLOC ? 0 : o.flags);
            System.arraycopy(o.key, 0, rec, at + 16, Math.min(o.key.length, KEY_MAX));
            System.arraycopy(o.value, 0, rec, at + 32, VALUE_SIZE);
        }
        byte[] out = batch.run(rec, ops.size());
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            o.result = LittleEndian.getInt(out, i * RECORD + 4);
            o.value = Arrays.copyOfRange(out, i * RECORD + 32, i * RECORD + 32 + VALUE_SIZE);
        }
    }

    /** The map's entries as Java sees them in the heap. */
    Map<ByteBuffer, ByteBuffer> mapContents() {
        Map<ByteBuffer, ByteBuffer> m = new HashMap<>();
        for (HashmapView.Entry e : HashmapView.at(heap, map).entries()) {
            m.put(ByteBuffer.wrap(e.key()), ByteBuffer.wrap(e.value()));
        }
        return m;
    }

    /** Checks one op's result against a model and applies it there; false for an insert refused for lack of memory. */
    static boolean check(Op o, Map<ByteBuffer, ByteBuffer> model, String what) {
        ByteBuffer k = ByteBuffer.wrap(o.key);
        ByteBuffer old = model.get(k);
        String ctx = what + " op " + o.op + " flags " + o.flags + " key " + Arrays.toString(o.key);
        switch (o.op) {
            case OP_MAP_LOOKUP, OP_LIST_LOOKUP -> {
                assertEquals(old == null ? ENOENT : 0, o.result, ctx);
                if (old != null) {
                    assertEquals(old, ByteBuffer.wrap(o.value), ctx + " value");
                }
            }
            case OP_MAP_UPDATE, OP_LIST_UPDATE -> {
                if (old == null && o.flags != EXIST && o.result == ENOMEM) {
                    return false;
                }
                int want = old == null ? (o.flags == EXIST ? ENOENT : 0) : (o.flags == NOEXIST ? EEXIST : 0);
                assertEquals(want, o.result, ctx);
                if (want == 0) {
                    model.put(k, ByteBuffer.wrap(o.value.clone()));
                }
            }
            case OP_MAP_DELETE, OP_LIST_DELETE -> {
                assertEquals(old == null ? ENOENT : 0, o.result, ctx);
                model.remove(k);
            }
            default -> throw new IllegalArgumentException("op " + o.op);
        }
        return true;
    }

    static List<Op> batchOf(int n) {
        return new ArrayList<>(n);
    }

    @Override
    public void close() {
        obj.close();
    }
}
