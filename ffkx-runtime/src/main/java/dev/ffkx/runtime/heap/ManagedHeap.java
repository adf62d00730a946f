package dev.ffkx.runtime.heap;

import dev.ffkx.runtime.BpfException;
import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.TestRun;

/**
 * The heap of an object built with {@code ffkx/heap.h}: its arena map is always named
 * {@value #MAP}, and its {@value #INIT_PROGRAM} program must run once after load, because fast-path
 * programs (XDP, tc, sk_skb) cannot populate arena pages themselves.
 */
public final class ManagedHeap {
    public static final String MAP = "ffkx_heap";
    public static final String INIT_PROGRAM = "ffkx_heap_init";
    private static final long ALIGNMENT = 1L << 32;

    private ManagedHeap() {}

    /** Sizes the heap before load. */
    public static void configure(BpfObject obj, long bytes) {
        ExtensionHeap.configure(obj.map(MAP), bytes);
    }

    /**
     * Maps the heap of a loaded object and runs its init program, which populates every page and
     * writes the allocator's header. Fails if it ran before.
     */
    public static ExtensionHeap initialize(BpfObject obj) {
        ExtensionHeap heap = ExtensionHeap.map(obj.map(MAP));
        if ((heap.base() & (ALIGNMENT - 1)) != 0) {
            // heap.h finds its header by the low 32 bits of an address
            throw new BpfException("extension heap of " + obj.name() + " is at 0x" + Long.toHexString(heap.base())
                    + ", not 4 GiB aligned (configure it with ManagedHeap.configure)");
        }
        byte[] args = LittleEndian.u64(heap.size());
        try (TestRun run = obj.program(INIT_PROGRAM).testRun()) {
            int ret = run.context(args).runForRetval();
            if (ret < 0) {
                throw new BpfException("initializing the extension heap of " + obj.name(), -ret);
            }
        }
        return heap;
    }

    /**
     * The address a program published in root slot {@code index} (ffkx_heap_root in heap.h), or 0:
     * how Java finds structures that live in the heap.
     */
    public static long root(ExtensionHeap heap, int index) {
        if (index < 0 || index >= HeapLayout.NR_ROOTS) {
            throw new IndexOutOfBoundsException("root " + index + " of " + HeapLayout.NR_ROOTS);
        }
        return heap.getLong(heap.base() + HeapLayout.HEADER + HeapLayout.H_ROOTS + 8L * index);
    }
}
