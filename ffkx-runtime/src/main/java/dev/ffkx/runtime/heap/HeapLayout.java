package dev.ffkx.runtime.heap;

/**
 * Where bpf/include/ffkx/heap.h puts things in the heap. The C header pins these offsets with
 * static assertions, so a change there that would silently break these readers fails to compile.
 */
final class HeapLayout {
    static final long PAGE = 4096;
    static final long MAGIC = 0x50414548584B4646L; // "FFKXHEAP"
    static final int VERSION = 1;

    static final long HEADER = 1 * PAGE;
    static final long DESCRIPTORS = 4 * PAGE;

    static final int NR_CLASSES = 17;
    static final int NR_ORDERS = 21;
    static final int NR_ROOTS = 16;

    // struct ffkx_heap_header
    static final int H_MAGIC = 0;
    static final int H_VERSION = 8;
    static final int H_NR_PAGES = 12;
    static final int H_FIRST_PAGE = 16;
    static final int H_ROOTS = 128;
    static final int H_BRK = 256;
    static final int H_CLASS_FAILURES = 768;
    static final int H_RUN_FAILURES = H_CLASS_FAILURES + 8 * NR_CLASSES;
    static final int H_ZERO_SIZES = H_RUN_FAILURES + 8;
    static final int H_TOO_LARGE = H_ZERO_SIZES + 8;
    static final int H_DOUBLE_FREES = H_TOO_LARGE + 8;
    static final int H_BAD_POINTERS = H_DOUBLE_FREES + 8;
    static final int H_CANCELLED = H_BAD_POINTERS + 8;

    // struct ffkx_page
    static final int DESC_SIZE = 64;
    static final int D_BITS = 0;
    static final int D_STATE = 32;
    static final int D_CLS = 36;

    static final int SLAB_OWNED = 1;
    static final int SLAB_LISTED = 3;
    static final int RUN_USED = 4;
    static final int RUN_FREE = 5;

    private HeapLayout() {}

    /** Bytes of an object of class c: 16, 24, 32, 48, ... 3072, 4096. */
    static int classSize(int c) {
        return ((c & 1) != 0 ? 3 : 1) << ((c & 1) != 0 ? c / 2 + 3 : c / 2 + 4);
    }

    static int classSlots(int c) {
        return (int) (PAGE / classSize(c));
    }

    /** The class ffkx_malloc uses for {@code size} bytes, 1 to 4096. */
    static int classOf(long size) {
        for (int c = 0; c < NR_CLASSES; c++) {
            if (size <= classSize(c)) {
                return c;
            }
        }
        throw new IllegalArgumentException(size + " bytes is past the largest size class");
    }
}
