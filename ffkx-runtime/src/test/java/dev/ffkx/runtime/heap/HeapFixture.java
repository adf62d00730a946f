package dev.ffkx.runtime.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.TestRun;

/**
 * A test object on a fresh managed heap: loaded, heap initialized, its structure made by a setup
 * program, and an operation buffer for its batch program.
 */
final class HeapFixture implements AutoCloseable {
    final BpfObject obj;
    final ExtensionHeap heap;
    final OpBatch batch;
    /** The setup program's context after it ran. */
    final byte[] setupOut;
    private final String batchProgram;
    private final int recordSize;

    /**
     * Loads {@code resource} with a heap of {@code heapBytes}, runs {@code setup} with
     * {@code setupArgs} (its return value must be 0; the context comes back in {@link #setupOut}),
     * and makes room for {@code capacity} records of {@code recordSize} bytes.
     */
    HeapFixture(String resource, long heapBytes, String setup, byte[] setupArgs, String batchProgram,
                int recordSize, int capacity) {
        this.batchProgram = batchProgram;
        this.recordSize = recordSize;
        obj = BpfObject.openResource(resource);
        try {
            ManagedHeap.configure(obj, heapBytes);
            obj.load();
            heap = ManagedHeap.initialize(obj);
            try (TestRun r = obj.program(setup).testRun()) {
                TestRun.Result res = r.context(setupArgs).run();
                assertEquals(0, res.retval(), setup);
                setupOut = res.context();
            }
            batch = new OpBatch(obj, heap, batchProgram, recordSize, capacity);
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }

    /**
     * Runs one record outside {@link OpBatch}, which insists that a batch finishes: for operations
     * that are meant to run out of loop budget. Returns the record as the program left it.
     */
    byte[] runUnchecked(byte[] record) {
        long at = batch.bufferAddress();
        heap.write(at, record);
        byte[] args = new byte[24];
        LittleEndian.putLong(args, 0, at);
        LittleEndian.putInt(args, 8, 1);
        try (TestRun r = obj.program(batchProgram).testRun()) {
            r.context(args).run();
        }
        return heap.read(at, recordSize);
    }

    @Override
    public void close() {
        batch.close();
        obj.close();
    }
}
