package dev.ffkx.runtime;

import dev.ffkx.runtime.sys.LibC;
import dev.ffkx.runtime.sys.NativeMemory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A read-only mapping of a loaded array map created with BPF_F_MMAPABLE, such as a global data
 * section: reading it is a memory load, where {@link BpfMap#lookup(int)} is a syscall. libbpf 1.1
 * maps global data sections itself only for skeletons; after a plain load its image of them is a
 * private copy, which the program never writes.
 */
public final class MappedArray implements AutoCloseable {
    private final BpfMap map;
    private final long size;
    private final long address;
    private final NativeMemory memory;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MappedArray(BpfMap map) {
        this.map = map;
        long pageSize = LibC.getpagesize();
        long bytes = (long) map.valueSize() * map.maxEntries();
        size = (bytes + pageSize - 1) / pageSize * pageSize;
        address = LibC.mmap(0, size, LibC.PROT_READ, LibC.MAP_SHARED, map.fd(), 0);
        if (address == LibC.MAP_FAILED) {
            throw new BpfException("mapping " + map.name() + " (an array map created BPF_F_MMAPABLE?)", LibC.errno());
        }
        memory = NativeMemory.view(address, bytes);
    }

    /** Maps a loaded map; the mapping is released with its object or on close. */
    public static MappedArray open(BpfMap map) {
        map.owner().ensureLoaded();
        return map.owner().closeWithObject(new MappedArray(map));
    }

    /** The u64 at byte offset off of the map's values, as the programs see it now. */
    public long getLong(long off) {
        return memory.getLong(off);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LibC.munmap(address, size);
        }
    }

    @Override
    public String toString() {
        return "mapping of " + map.name();
    }
}
