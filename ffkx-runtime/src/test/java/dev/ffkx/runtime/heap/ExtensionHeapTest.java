package dev.ffkx.runtime.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffkx.runtime.BpfObject;
import dev.ffkx.runtime.LittleEndian;
import dev.ffkx.runtime.NoLeftovers;
import dev.ffkx.runtime.TestRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeftovers.class)
class ExtensionHeapTest {
    private static final int NODES = 1000;

    @Test
    void javaWalksAListBuiltInTheHeap() {
        try (BpfObject obj = BpfObject.openResource("/bpf/test_arena_list.bpf.o")) {
            ExtensionHeap.configure(obj.map("heap"), 32 * ExtensionHeap.PAGE_SIZE);
            obj.load();
            ExtensionHeap heap = ExtensionHeap.map(obj.map("heap"));
            assertEquals(32 * ExtensionHeap.PAGE_SIZE, heap.size());

            byte[] args = new byte[16];
            LittleEndian.putInt(args, 0, NODES);
            long head;
            try (TestRun run = obj.program("build_list").testRun()) {
                TestRun.Result r = run.context(args).run();
                assertEquals(0, r.retval());
                head = LittleEndian.getLong(r.context(), 8);
            }
            assertTrue(heap.contains(head, 16), "head 0x" + Long.toHexString(head) + " is in the heap");

            int n = 0;
            for (long node = head; node != 0; node = heap.getLong(node)) {
                assertEquals(3L * n, heap.getLong(node + 8), "value of node " + n);
                n++;
            }
            assertEquals(NODES, n);
        }
    }

    @Test
    void accessOutsideTheHeapIsRefused() {
        try (BpfObject obj = BpfObject.openResource("/bpf/test_arena_list.bpf.o")) {
            ExtensionHeap.configure(obj.map("heap"), 4 * ExtensionHeap.PAGE_SIZE);
            obj.load();
            ExtensionHeap heap = ExtensionHeap.map(obj.map("heap"));
            heap.populate(0);
            heap.putLong(heap.base(), 42);
            assertEquals(42, heap.getLong(heap.base()));
            assertThrows(IndexOutOfBoundsException.class, () -> heap.getLong(heap.base() + heap.size() - 4));
            assertThrows(IndexOutOfBoundsException.class, () -> heap.getByte(heap.base() - 1));
            assertThrows(IndexOutOfBoundsException.class, () -> heap.read(heap.base(), -1));
        }
    }

    @Test
    void sizeIsBounded() {
        try (BpfObject obj = BpfObject.openResource("/bpf/test_arena_list.bpf.o")) {
            assertThrows(IllegalArgumentException.class, () -> ExtensionHeap.configure(obj.map("heap"), 0));
            assertThrows(IllegalArgumentException.class, () -> ExtensionHeap.configure(obj.map("heap"), (1L << 32) + 1));
        }
    }
}
