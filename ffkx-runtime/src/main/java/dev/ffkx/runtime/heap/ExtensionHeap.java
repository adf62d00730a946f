package dev.ffkx.runtime.heap;

import dev.ffkx.runtime.BpfException;
import dev.ffkx.runtime.BpfMap;
import dev.ffkx.runtime.Errno;
import dev.ffkx.runtime.sys.LibC;
import dev.ffkx.runtime.sys.NativeMemory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A BPF arena (the extension heap) mapped into this process, with bounds-checked access by heap
 * address. The kernel fixes an arena's user address at creation (map_extra) and its 32-bit offsets
 * may not cross a 4 GiB boundary, so each heap of this process gets its own 4 GiB-aligned slot.
 *
 * <p>Reads are plain loads: while BPF programs run, what Java sees is a racy snapshot.
 */
public final class ExtensionHeap implements AutoCloseable {
    public static final long PAGE_SIZE = 4096;
    public static final long MAX_SIZE = 1L << 32;
    private static final long FIRST_SLOT = 1L << 44;
    private static final AtomicLong NEXT_SLOT = new AtomicLong(FIRST_SLOT);

    private final String name;
    private final NativeMemory mem;
    private final long base;
    private final long size;
    private final boolean ownMapping;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ExtensionHeap(String name, NativeMemory mem, boolean ownMapping) {
        this.name = name;
        this.mem = mem;
        this.base = mem.address();
        this.size = mem.size();
        this.ownMapping = ownMapping;
    }

    /**
     * Sizes an arena map before its object is loaded: {@code bytes} rounded up to whole pages, at
     * most 4 GiB, at a user address of its own.
     */
    public static void configure(BpfMap arena, long bytes) {
        if (arena.type() != BpfMap.TYPE_ARENA) {
            throw new IllegalArgumentException(arena.name() + " is not an arena map");
        }
        if (bytes <= 0 || bytes > MAX_SIZE) {
            throw new IllegalArgumentException("an extension heap holds 1 byte to 4 GiB, not " + bytes);
        }
        long pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
        arena.setMaxEntries((int) pages);
        arena.setMapExtra(NEXT_SLOT.getAndAdd(MAX_SIZE));
    }

    /** Maps a loaded arena; the heap is unmapped when it, or the arena's object, is closed. */
    public static ExtensionHeap map(BpfMap arena) {
        long size = arena.maxEntries() * PAGE_SIZE;
        long want = arena.mapExtra();
        long addr = LibC.mmap(want, size, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_SHARED | LibC.MAP_FIXED_NOREPLACE, arena.fd(), 0);
        boolean own = true;
        if (addr == LibC.MAP_FAILED) {
            int errno = LibC.errno();
            long libbpfs = arena.libbpfMapping();
            if (errno != Errno.EEXIST || libbpfs == 0) {
                throw new BpfException("mapping extension heap " + arena.name() + " at 0x" + Long.toHexString(want), errno);
            }
            addr = libbpfs; // libbpf >= 1.4 mapped the arena itself
            own = false;
        } else if (want != 0 && addr != want) {
            LibC.munmap(addr, size);
            throw new BpfException("extension heap " + arena.name() + " landed at 0x" + Long.toHexString(addr)
                    + ", not at its map_extra 0x" + Long.toHexString(want));
        }
        ExtensionHeap heap = new ExtensionHeap(arena.name(), NativeMemory.view(addr, size), own);
        return arena.owner().closeWithObject(heap);
    }

    /** Heap address of the first byte. */
    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    public boolean contains(long address, long length) {
        return length >= 0 && address >= base && address - base <= size - length;
    }

    /**
     * Faults in every page from {@code fromOffset} on, so programs that cannot allocate arena pages
     * (XDP, tc, sk_skb) find them present.
     */
    public void populate(long fromOffset) {
        ensureOpen();
        for (long off = fromOffset & -PAGE_SIZE; off < size; off += PAGE_SIZE) {
            mem.getByte(off);
        }
    }

    public byte getByte(long address) { return mem.getByte(offset(address, 1)); }
    public short getShort(long address) { return mem.getShort(offset(address, 2)); }
    public int getInt(long address) { return mem.getInt(offset(address, 4)); }
    public long getLong(long address) { return mem.getLong(offset(address, 8)); }
    public double getDouble(long address) { return mem.getDouble(offset(address, 8)); }
    public void putByte(long address, byte v) { mem.putByte(offset(address, 1), v); }
    public void putInt(long address, int v) { mem.putInt(offset(address, 4), v); }
    public void putLong(long address, long v) { mem.putLong(offset(address, 8), v); }

    public byte[] read(long address, int length) {
        return mem.read(offset(address, length), length);
    }

    public void write(long address, byte[] bytes) {
        mem.write(offset(address, bytes.length), bytes);
    }

    private long offset(long address, long length) {
        ensureOpen();
        if (!contains(address, length)) {
            throw new IndexOutOfBoundsException(String.format(
                    "heap %s: %d bytes at 0x%x fall outside [0x%x, 0x%x)", name, length, address, base, base + size));
        }
        return address - base;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("extension heap " + name + " is unmapped");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownMapping) {
            LibC.munmap(base, size);
        }
    }
}
