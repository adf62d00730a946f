package dev.ffkx.runtime.heap;

import dev.ffkx.runtime.LittleEndian;
import java.util.ArrayList;
import java.util.List;

/**
 * What the allocator of an extension heap holds, read from the heap itself: per size class, how
 * many objects are in use and free (counted from the pages' allocation bitmaps, so they cost the
 * allocator nothing), and the failure and bad-input counters it keeps in the heap header.
 *
 * <p>A racy snapshot: taken while programs run, the counts of different pages come from different
 * moments. Taken while none runs, it is exact.
 */
public final class AllocatorStats {
    /** One size class: objects of up to {@code size} bytes, carved from {@code pages} slab pages. */
    public record SizeClass(int size, long pages, long inUse, long free, long failures) {
        public long slots() {
            return inUse + free;
        }
    }

    private final List<SizeClass> classes;
    private final long runsInUse;
    private final long runPagesInUse;
    private final long freeRunPages;
    private final long untouchedPages;
    private final long runFailures;
    private final long zeroSizes;
    private final long tooLarge;
    private final long doubleFrees;
    private final long badPointers;
    private final long cancelled;

    private AllocatorStats(ExtensionHeap heap) {
        long hdr = heap.base() + HeapLayout.HEADER;
        if (heap.getLong(hdr + HeapLayout.H_MAGIC) != HeapLayout.MAGIC) {
            throw new IllegalStateException("the heap at 0x" + Long.toHexString(heap.base())
                    + " has no allocator header: was ManagedHeap.initialize run?");
        }
        int version = heap.getInt(hdr + HeapLayout.H_VERSION);
        if (version != HeapLayout.VERSION) {
            throw new IllegalStateException("heap layout version " + version + ", this runtime reads " + HeapLayout.VERSION);
        }
        long nrPages = Integer.toUnsignedLong(heap.getInt(hdr + HeapLayout.H_NR_PAGES));
        long firstPage = Integer.toUnsignedLong(heap.getInt(hdr + HeapLayout.H_FIRST_PAGE));
        long brk = Math.min(heap.getLong(hdr + HeapLayout.H_BRK), nrPages);

        long[] pages = new long[HeapLayout.NR_CLASSES];
        long[] inUse = new long[HeapLayout.NR_CLASSES];
        long runs = 0, runPages = 0, freeRuns = 0;
        int chunk = (int) (HeapLayout.PAGE / HeapLayout.DESC_SIZE);
        for (long first = firstPage; first < brk; first += chunk) {
            int n = (int) Math.min(chunk, brk - first);
            byte[] descs = heap.read(heap.base() + HeapLayout.DESCRIPTORS + first * HeapLayout.DESC_SIZE,
                    n * HeapLayout.DESC_SIZE);
            for (int i = 0; i < n; i++) {
                int d = i * HeapLayout.DESC_SIZE;
                int state = LittleEndian.getInt(descs, d + HeapLayout.D_STATE);
                int cls = LittleEndian.getInt(descs, d + HeapLayout.D_CLS);
                if (state >= HeapLayout.SLAB_OWNED && state <= HeapLayout.SLAB_LISTED && cls < HeapLayout.NR_CLASSES) {
                    pages[cls]++;
                    int bits = 0;
                    for (int w = 0; w < 4; w++) {
                        bits += Long.bitCount(LittleEndian.getLong(descs, d + HeapLayout.D_BITS + 8 * w));
                    }
                    // slots past the page's last are marked taken so they are never handed out
                    inUse[cls] += bits - (256 - HeapLayout.classSlots(cls));
                } else if (state == HeapLayout.RUN_USED) {
                    runs++;
                    runPages += 1L << cls;
                } else if (state == HeapLayout.RUN_FREE) {
                    freeRuns += 1L << cls;
                }
            }
        }
        List<SizeClass> list = new ArrayList<>(HeapLayout.NR_CLASSES);
        for (int c = 0; c < HeapLayout.NR_CLASSES; c++) {
            long slots = pages[c] * HeapLayout.classSlots(c);
            list.add(new SizeClass(HeapLayout.classSize(c), pages[c], inUse[c], slots - inUse[c],
                    heap.getLong(hdr + HeapLayout.H_CLASS_FAILURES + 8L * c)));
        }
        this.classes = List.copyOf(list);
        this.runsInUse = runs;
        this.runPagesInUse = runPages;
        this.freeRunPages = freeRuns;
        this.untouchedPages = nrPages - brk;
        this.runFailures = heap.getLong(hdr + HeapLayout.H_RUN_FAILURES);
        this.zeroSizes = heap.getLong(hdr + HeapLayout.H_ZERO_SIZES);
        this.tooLarge = heap.getLong(hdr + HeapLayout.H_TOO_LARGE);
        this.doubleFrees = heap.getLong(hdr + HeapLayout.H_DOUBLE_FREES);
        this.badPointers = heap.getLong(hdr + HeapLayout.H_BAD_POINTERS);
        this.cancelled = heap.getLong(hdr + HeapLayout.H_CANCELLED);
    }

    /** Reads the allocator state of an initialized heap (see {@link ManagedHeap#initialize}). */
    public static AllocatorStats read(ExtensionHeap heap) {
        return new AllocatorStats(heap);
    }

    /** The 17 size classes, smallest first. */
    public List<SizeClass> classes() {
        return classes;
    }

    /** The class that serves allocations of {@code size} bytes (1 to 4096). */
    public SizeClass classFor(long size) {
        return classes.get(HeapLayout.classOf(size));
    }

    /** Small objects in use, over every class. */
    public long objectsInUse() {
        return classes.stream().mapToLong(SizeClass::inUse).sum();
    }

    /** Objects over 4 KiB in use: each a run of a power of two of pages. */
    public long runsInUse() { return runsInUse; }
    public long runPagesInUse() { return runPagesInUse; }
    /** Pages in freed runs, kept for runs of their order (or split for smaller ones). */
    public long freeRunPages() { return freeRunPages; }
    /** Pages never handed out yet. */
    public long untouchedPages() { return untouchedPages; }
    /** Allocations over 4 KiB that found no run. */
    public long runFailures() { return runFailures; }
    public long zeroSizes() { return zeroSizes; }
    /** Allocations over 4 GiB, more than any heap holds. */
    public long tooLarge() { return tooLarge; }
    public long doubleFrees() { return doubleFrees; }
    /** Frees of pointers the allocator never handed out. */
    public long badPointers() { return badPointers; }
    /** Calls that failed because the program's loop budget ran out. */
    public long cancelled() { return cancelled; }
}
