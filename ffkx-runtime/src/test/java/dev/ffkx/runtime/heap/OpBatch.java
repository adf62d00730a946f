package dev.ffkx.runtime.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.TestRun;

/**
 * Operation records written straight into the heap and run by one syscall program per batch
 * (struct batch_args in test_batch.h): thousands of operations for one system call.
 */
final class OpBatch implements AutoCloseable {
    private final ExtensionHeap heap;
    private final TestRun run;
    private final long ops;
    private final int capacity;
    private long lastNs;

    OpBatch(BpfObject obj, ExtensionHeap heap, String program, int recordSize, int capacity) {
        this.heap = heap;
        this.capacity = capacity;
        this.ops = buffer(obj, (long) recordSize * capacity);
        this.run = obj.program(program).testRun();
    }

    /** Heap room for {@code bytes}, from the allocator under test itself. */
    static long buffer(BpfObject obj, long bytes) {
        byte[] args = new byte[16];
        LittleEndian.putLong(args, 0, bytes);
        try (TestRun r = obj.program("test_buffer").testRun()) {
            long addr = LittleEndian.getLong(r.context(args).run().context(), 8);
            assertNotEquals(0, addr, "no heap room for a " + bytes + "-byte operation buffer");
            return addr;
        }
    }

    /** Runs {@code count} records and returns them as the program left them. */
    byte[] run(byte[] records, int count) {
        if (count > capacity) {
            throw new IllegalArgumentException(count + " operations exceed the buffer's " + capacity);
        }
        heap.write(ops, records);
        byte[] args = new byte[24];
        LittleEndian.putLong(args, 0, ops);
        LittleEndian.putInt(args, 8, count);
        TestRun.Result r = run.context(args).run();
        byte[] out = r.context();
        assertEquals(count, LittleEndian.getInt(out, 12), "operations run before the loop was cancelled");
        assertEquals(0, r.retval(), "batch program's return value");
        lastNs = LittleEndian.getLong(out, 16);
        return heap.read(ops, records.length);
    }

    /** Kernel time of the last batch's loop. */
    long lastNs() {
        return lastNs;
    }

    long bufferAddress() {
        return ops;
    }

    @Override
    public void close() {
        run.close();
    }
}
